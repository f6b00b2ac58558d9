/** Small inline systems for tests: an SDF wrapper and PD programs from strings. */
import type { Workspace } from '../workspace';

export interface PdSpec {
  name: string;
  priority: number;
  program: string;
  /** extra attributes on <protection_domain>, e.g. 'passive="true" cpu="1"' */
  attrs?: string;
  /** extra child elements inside <protection_domain> */
  inner?: string;
}

export function workspace(pds: PdSpec[], channels: string[] = [], extra = ''): Workspace {
  const files: Record<string, string> = {};
  const body = pds
    .map((p) => {
      files[`${p.name}.js`] = p.program;
      return `  <protection_domain name="${p.name}" priority="${p.priority}" ${p.attrs ?? ''}>\n    <program_image path="${p.name}.elf" />\n${p.inner ?? ''}  </protection_domain>`;
    })
    .join('\n');
  files['test.system'] = `<?xml version="1.0" encoding="UTF-8"?>\n<system>\n${extra}\n${body}\n${channels.join('\n')}\n</system>\n`;
  return { files, system: 'test.system' };
}

/** `<channel>` with ends (pd, id) and optional end attributes. */
export function channel(a: string, aId: number, b: string, bId: number, aAttrs = '', bAttrs = ''): string {
  return `  <channel>\n    <end pd="${a}" id="${aId}" ${aAttrs} />\n    <end pd="${b}" id="${bId}" ${bAttrs} />\n  </channel>`;
}

/** Console lines without the monitor's start-up line. */
export function lines(consoleText: string): string[] {
  return consoleText.split('\n').filter((l) => l.length > 0 && l !== 'MON|INFO: Microkit Monitor started!');
}
