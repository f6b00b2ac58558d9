/** Transient UI state: theme, dialogs, notices, and the editor <-> views link
 * (where the cursor is, and requests to move it). */
import { createStore } from 'zustand/vanilla';

export type Theme = 'light' | 'dark';

export interface SourceLocation {
  path: string;
  line: number;
  column: number;
}

export interface InputDialog {
  title: string;
  label: string;
  initial: string;
  submitLabel: string;
  /** returns an error message to show, or null to close */
  submit(value: string): string | null;
}

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export type Dialog = { kind: 'gallery' } | { kind: 'share'; url: string } | { kind: 'input'; input: InputDialog } | { kind: 'confirm'; text: string; confirmLabel: string; onConfirm(): void };

export interface UiState {
  theme: Theme;
  paletteOpen: boolean;
  dialog: Dialog | null;
  notices: Notice[];
  cursor: SourceLocation | null;
  /** a request to move the editor cursor; `seq` makes repeated requests distinct */
  reveal: (SourceLocation & { seq: number }) | null;
  /** active tab per dock area */
  activeView: Record<string, string>;
  /** autosave to this browser */
  saveState: 'saved' | 'pending' | 'failed';
  setSaveState(s: UiState['saveState']): void;
  setTheme(t: Theme): void;
  setPaletteOpen(open: boolean): void;
  openDialog(d: Dialog | null): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
  setCursor(c: SourceLocation | null): void;
  revealLocation(l: SourceLocation): void;
  showView(area: string, id: string): void;
}

export function createUiStore(theme: Theme) {
  let noticeId = 0;
  let seq = 0;
  return createStore<UiState>()((set, get) => ({
    theme,
    paletteOpen: false,
    dialog: null,
    notices: [],
    cursor: null,
    reveal: null,
    activeView: {},
    saveState: 'saved',
    setSaveState: (saveState) => get().saveState !== saveState && set({ saveState }),
    setTheme: (t) => set({ theme: t }),
    setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
    openDialog: (dialog) => set({ dialog }),
    notify: (kind, text) => set({ notices: [...get().notices.filter((n) => n.text !== text), { id: ++noticeId, kind, text }] }),
    dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
    setCursor: (cursor) => set({ cursor }),
    revealLocation: (l) => set({ reveal: { ...l, seq: ++seq } }),
    showView: (area, id) => set({ activeView: { ...get().activeView, [area]: id } }),
  }));
}

export type UiStore = ReturnType<typeof createUiStore>;
