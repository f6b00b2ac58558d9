/** The app's actions. Each is registered once and shows up in the toolbar (if it
 * has an icon), the command palette and the keyboard shortcuts. */
import { BOARDS } from '../../core/boards';
import type { Services } from '../shell/services';
import { encodeShareLink } from '../workspace/shareLink';
import { snapshotOf } from '../workspace/store';
import { workspaceFromZip, workspaceToZip } from '../workspace/zip';
import type { Action } from './registry';

type A = Action<Services>;

const inputDialog = (s: Services, title: string, label: string, initial: string, submitLabel: string, submit: (v: string) => void) =>
  s.ui.getState().openDialog({
    kind: 'input',
    input: {
      title,
      label,
      initial,
      submitLabel,
      submit: (v) => {
        try {
          submit(v.trim());
          return null;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    },
  });

function download(name: string, bytes: Uint8Array, type: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = Object.assign(document.createElement('input'), { type: 'file', accept });
    input.dataset.testid = 'import-input';
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null);
      input.remove();
    });
    document.body.append(input);
    input.click();
  });
}

export const APP_ACTIONS: A[] = [
  {
    id: 'palette.show',
    label: 'Show all commands',
    category: 'View',
    shortcut: 'Mod+Shift+P',
    icon: 'command',
    keywords: ['command', 'palette'],
    run: (s) => s.ui.getState().setPaletteOpen(true),
  },
  {
    id: 'file.new',
    label: 'New file…',
    category: 'File',
    shortcut: 'Alt+N',
    icon: 'newFile',
    keywords: ['create', 'add'],
    run: (s) => inputDialog(s, 'New file', 'File name (.system, .js or .asm)', 'program.js', 'Create', (v) => s.workspace.getState().createFile(v)),
  },
  {
    id: 'file.rename',
    label: 'Rename file…',
    category: 'File',
    keywords: ['move'],
    run: (s) => {
      const from = s.workspace.getState().active;
      inputDialog(s, `Rename ${from}`, 'New name', from, 'Rename', (v) => s.workspace.getState().renameFile(from, v));
    },
  },
  {
    id: 'file.delete',
    label: 'Delete file',
    category: 'File',
    keywords: ['remove'],
    enabled: (s) => s.workspace.getState().active !== s.workspace.getState().main,
    run: (s) => {
      const path = s.workspace.getState().active;
      s.ui.getState().openDialog({ kind: 'confirm', text: `Delete ${path}? This cannot be undone.`, confirmLabel: 'Delete', onConfirm: () => s.workspace.getState().deleteFile(path) });
    },
  },
  {
    id: 'file.setMain',
    label: 'Use this file as the main system',
    category: 'File',
    enabled: (s) => s.workspace.getState().active.endsWith('.system') && s.workspace.getState().active !== s.workspace.getState().main,
    run: (s) => s.workspace.getState().setMain(s.workspace.getState().active),
  },
  {
    id: 'workspace.share',
    label: 'Share link…',
    category: 'Workspace',
    icon: 'share',
    title: 'Copy a link that contains the whole workspace',
    keywords: ['url', 'copy', 'link'],
    run: async (s) => {
      const url = `${location.origin}${location.pathname}#${encodeShareLink(snapshotOf(s.workspace.getState()))}`;
      s.ui.getState().openDialog({ kind: 'share', url });
      await navigator.clipboard?.writeText(url).catch(() => {});
    },
  },
  {
    id: 'workspace.export',
    label: 'Export workspace as zip',
    category: 'Workspace',
    icon: 'download',
    keywords: ['download', 'save', 'zip'],
    run: (s) => download('workspace.zip', workspaceToZip(snapshotOf(s.workspace.getState())), 'application/zip'),
  },
  {
    id: 'workspace.import',
    label: 'Import workspace from zip…',
    category: 'Workspace',
    icon: 'upload',
    keywords: ['upload', 'open', 'zip'],
    run: async (s) => {
      const file = await pickFile('.zip,application/zip');
      if (!file) return;
      try {
        s.workspace.getState().open(workspaceFromZip(new Uint8Array(await file.arrayBuffer())));
        s.ui.getState().notify('info', `Imported ${file.name}.`);
      } catch (e) {
        s.ui.getState().notify('error', e instanceof Error ? e.message : String(e));
      }
    },
  },
  {
    id: 'examples.open',
    label: 'Open an example…',
    category: 'Workspace',
    shortcut: 'Alt+E',
    icon: 'gallery',
    keywords: ['gallery', 'sample'],
    run: (s) => s.ui.getState().openDialog({ kind: 'gallery' }),
  },
  {
    id: 'view.toggleTheme',
    label: 'Toggle light/dark theme',
    category: 'View',
    shortcut: 'Alt+T',
    keywords: ['dark', 'light', 'colour', 'color'],
    run: (s) => s.ui.getState().setTheme(s.ui.getState().theme === 'dark' ? 'light' : 'dark'),
  },
  {
    id: 'view.problems',
    label: 'Show problems',
    category: 'View',
    keywords: ['errors', 'diagnostics'],
    run: (s) => s.ui.getState().showView('bottom', 'problems'),
  },
  {
    id: 'view.graph',
    label: 'Show system graph',
    category: 'View',
    run: (s) => s.ui.getState().showView('right', 'graph'),
  },
  ...BOARDS.map(
    (b): A => ({
      id: `board.${b.name}`,
      label: `Board: ${b.name}`,
      category: 'Board',
      keywords: [b.kernel.arch],
      enabled: (s) => s.workspace.getState().board !== b.name,
      run: (s) => s.workspace.getState().setBoard(b.name),
    }),
  ),
  {
    id: 'debug.crashCore',
    label: 'Crash the simulator core (test recovery)',
    category: 'Debug',
    run: (s) => void s.core.request('debug.crash', {}).catch(() => {}),
  },
];
