/** A small icon set (16px, stroke-based), so the app needs no icon font or CDN. */
import type { FileKind } from '../../core/protocol';

const PATHS: Record<string, string> = {
  file: 'M4 1.5h5.5L13 5v9.5H4z M9.5 1.5V5H13',
  newFile: 'M4 1.5h5.5L13 5v9.5H4z M9.5 1.5V5H13 M8.5 8v4 M6.5 10h4',
  rename: 'M2.5 13.5h3l7.5-7.5-3-3-7.5 7.5z M9 4.5l3 3',
  trash: 'M3 4.5h10 M6.5 4.5V2.5h3v2 M4.5 4.5l.7 9h5.6l.7-9',
  share: 'M6 9.5l4-4 M7 4.5l1.2-1.2a2.8 2.8 0 014 4L11 8.5 M9 11.5l-1.2 1.2a2.8 2.8 0 01-4-4L5 7.5',
  download: 'M8 2v8 M4.5 7L8 10.5 11.5 7 M2.5 13.5h11',
  upload: 'M8 11V3 M4.5 6L8 2.5 11.5 6 M2.5 13.5h11',
  gallery: 'M2 2.5h5v5H2z M9 2.5h5v5H9z M2 9.5h5v4H2z M9 9.5h5v4H9z',
  sun: 'M8 5a3 3 0 100 6 3 3 0 000-6z M8 1v1.5 M8 13.5V15 M1 8h1.5 M13.5 8H15 M3 3l1 1 M12 12l1 1 M3 13l1-1 M12 4l1-1',
  moon: 'M13 10A5.5 5.5 0 016 3a5.5 5.5 0 107 7z',
  command: 'M5.5 2.5a2 2 0 100 4h5a2 2 0 10-2-2v7a2 2 0 102-2h-5a2 2 0 10 2 2v-7',
  error: 'M8 1.5a6.5 6.5 0 100 13 6.5 6.5 0 000-13z M8 4.5v4 M8 10.8v.4',
  warning: 'M8 1.8L15 14H1z M8 6v3.5 M8 11.5v.4',
  info: 'M8 1.5a6.5 6.5 0 100 13 6.5 6.5 0 000-13z M8 7v4.5 M8 4.6v.4',
  system: 'M2 3h5v4H2z M9 9h5v4H9z M4.5 7v4H9 M11.5 9V5H7',
  js: 'M2 2h12v12H2z M6.5 6v4.5a1.5 1.5 0 01-3 0 M12 6.5a1.8 1.5 0 00-3 .5c0 2 3 1 3 3a1.8 1.5 0 01-3 .5',
  chip: 'M4 4h8v8H4z M6 1.5V4 M10 1.5V4 M6 12v2.5 M10 12v2.5 M1.5 6H4 M1.5 10H4 M12 6h2.5 M12 10h2.5',
  fit: 'M2 6V2h4 M10 2h4v4 M14 10v4h-4 M6 14H2v-4',
  close: 'M4 4l8 8 M12 4l-8 8',
  main: 'M8 1.8l1.9 3.9 4.3.6-3.1 3 .7 4.3L8 11.6l-3.8 2 .7-4.3-3.1-3 4.3-.6z',
  // run controls (app/run)
  build: 'M2.5 13.5l6-6 M7 3.5l2.5-1.5 4 4-1.5 2.5-2-2-1 1-2-2 1-1z',
  play: 'M4.5 2.5v11l9-5.5z',
  pause: 'M5 3v10 M11 3v10',
  stepOver: 'M2.5 9a5 5 0 0110 0 M12.5 5v4h-4 M7.5 13.5h.5',
  stepInto: 'M8 2v8 M5 7l3 3 3-3 M7.5 13.5h1',
  stepBack: 'M13.5 9a5 5 0 00-10 0 M3.5 5v4h4 M7.5 13.5h1',
  reset: 'M3 8a5 5 0 109-3 M12 2v3H9',
};

export type IconName = keyof typeof PATHS;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg className={`icon ${className ?? ''}`} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

const FILE_ICONS: Record<FileKind, IconName> = { system: 'system', program: 'js', asm: 'chip', other: 'file' };

export function FileIcon({ kind }: { kind: FileKind }) {
  return <Icon name={FILE_ICONS[kind]} className={`file-icon ${kind}`} />;
}
