/** Console input helpers: shell-like history with the arrow keys, and example lines filled in. */

export interface HistoryState {
  /** index into the entered lines, null while editing a fresh line */
  at: number | null;
  /** the fresh line, kept while browsing */
  draft: string;
}

export function historyStep(lines: readonly string[], state: HistoryState, current: string, dir: -1 | 1): { state: HistoryState; text: string } {
  if (lines.length === 0) return { state, text: current };
  const draft = state.at === null ? current : state.draft;
  let at = state.at === null ? (dir < 0 ? lines.length - 1 : null) : state.at + dir;
  if (at !== null && at < 0) at = 0;
  if (at !== null && at >= lines.length) at = null;
  return { state: { at, draft }, text: at === null ? draft : lines[at] };
}

/** Put the selected cap's slot where an example says SLOT. */
export function completeLine(example: string, slot: number | null): string {
  return slot === null ? example : example.replace('SLOT', String(slot));
}
