/** One registry of actions feeds the toolbar, keyboard shortcuts and the command
 * palette (Excalidraw's pattern): each surface reads the same id, label, shortcut,
 * enabled predicate and run function. Pure: the context type is the caller's. */

export type ActionSource = 'toolbar' | 'keyboard' | 'palette' | 'api';

export interface Action<C> {
  /** stable, e.g. "workspace.export" */
  id: string;
  label: string;
  /** palette grouping, e.g. "File" */
  category: string;
  /** "Mod+Shift+P" style; Mod is Ctrl, or Cmd on macOS */
  shortcut?: string;
  /** icon glyph for the toolbar; actions without one stay off the toolbar */
  icon?: string;
  /** tooltip, defaults to the label */
  title?: string;
  /** extra words the palette matches */
  keywords?: string[];
  enabled?: (ctx: C) => boolean;
  run: (ctx: C, source: ActionSource) => void | Promise<void>;
}

export interface KeyLike {
  key: string;
  /** physical key, e.g. "KeyN": Option+N on a Mac types "˜", so letters also match by code */
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface ActionRegistry<C> {
  register(action: Action<C>): () => void;
  get(id: string): Action<C> | undefined;
  all(): Action<C>[];
  isEnabled(id: string, ctx: C): boolean;
  /** false when unknown or disabled */
  run(id: string, ctx: C, source: ActionSource): boolean;
  /** the enabled action whose shortcut matches the key event, if any */
  forKey(event: KeyLike, ctx: C, isMac: boolean): Action<C> | undefined;
  subscribe(listener: () => void): () => void;
  /** bumps on every change, for useSyncExternalStore */
  version(): number;
  /** state that `enabled` predicates read changed outside the UI stores (e.g. a run started): redraw */
  refresh(): void;
}

export function createActionRegistry<C>(): ActionRegistry<C> {
  const actions = new Map<string, Action<C>>();
  const listeners = new Set<() => void>();
  let version = 0;
  const changed = () => {
    version++;
    listeners.forEach((l) => l());
  };
  const enabled = (a: Action<C>, ctx: C) => (a.enabled ? a.enabled(ctx) : true);

  return {
    register(action) {
      if (actions.has(action.id)) throw new Error(`action '${action.id}' is already registered`);
      if (action.shortcut) parseShortcut(action.shortcut);
      actions.set(action.id, action);
      changed();
      return () => {
        actions.delete(action.id);
        changed();
      };
    },
    get: (id) => actions.get(id),
    all: () => [...actions.values()],
    isEnabled(id, ctx) {
      const a = actions.get(id);
      return !!a && enabled(a, ctx);
    },
    run(id, ctx, source) {
      const a = actions.get(id);
      if (!a || !enabled(a, ctx)) return false;
      void Promise.resolve(a.run(ctx, source)).catch((e: unknown) => console.error(`action ${id} failed`, e));
      return true;
    },
    forKey(event, ctx, isMac) {
      for (const a of actions.values()) {
        if (a.shortcut && matchesShortcut(a.shortcut, event, isMac) && enabled(a, ctx)) return a;
      }
      return undefined;
    },
    version: () => version,
    refresh: changed,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

interface ParsedShortcut {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  key: string;
}

const MODIFIERS = new Set(['Mod', 'Shift', 'Alt']);

export function parseShortcut(shortcut: string): ParsedShortcut {
  const parts = shortcut.split('+');
  const key = parts.pop();
  if (!key || parts.some((p) => !MODIFIERS.has(p))) throw new Error(`bad shortcut '${shortcut}'`);
  return { mod: parts.includes('Mod'), shift: parts.includes('Shift'), alt: parts.includes('Alt'), key: key.toLowerCase() };
}

export function matchesShortcut(shortcut: string, e: KeyLike, isMac: boolean): boolean {
  const s = parseShortcut(shortcut);
  const mod = isMac ? e.metaKey : e.ctrlKey;
  const otherMod = isMac ? e.ctrlKey : e.metaKey;
  const sameKey = s.key === e.key.toLowerCase() || (s.key.length === 1 && e.code === `Key${s.key.toUpperCase()}`);
  return sameKey && s.mod === mod && !otherMod && s.shift === e.shiftKey && s.alt === e.altKey;
}

/** Human-readable shortcut for menus: "Ctrl+Shift+P" or "⌘⇧P". */
export function formatShortcut(shortcut: string, isMac: boolean): string {
  const s = parseShortcut(shortcut);
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key[0]!.toUpperCase() + s.key.slice(1);
  if (isMac) return `${s.mod ? '⌘' : ''}${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${key}`;
  return [s.mod && 'Ctrl', s.alt && 'Alt', s.shift && 'Shift', key].filter(Boolean).join('+');
}

/** Palette filtering: every typed word must start a word of the label, category or keywords. */
export function matchesQuery<C>(a: Action<C>, query: string): boolean {
  const words = `${a.category} ${a.label} ${(a.keywords ?? []).join(' ')}`.toLowerCase().split(/[^a-z0-9]+/);
  // the query is split like the label, so typing a label as written ("light/dark", "run for N events…") matches
  return query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .every((q) => words.some((w) => w.startsWith(q)));
}
