/** View model of the consoles: PD debug output and VM serial consoles, interleaved in the order they were
 * written (each line labelled with who wrote it) or apart (one pane each). */
import type { SimView } from '../../core/protocol';

export interface ConsoleLine {
  who: string;
  vm: boolean;
  text: string;
}

/** Interleaved lines: chunks split at newlines, a chunk that continues a line stays on it. */
export function interleavedLines(order: SimView['order'], maxLines = 5000): ConsoleLine[] {
  const out: ConsoleLine[] = [];
  const open = new Map<string, ConsoleLine>();
  for (const c of order) {
    const parts = c.text.split('\n');
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      if (last && part === '') return;
      let line = open.get(c.who);
      if (line && i === 0) line.text += part;
      else {
        line = { who: c.who, vm: c.vm, text: part };
        out.push(line);
      }
      if (last) open.set(c.who, line);
      else open.delete(c.who);
    });
  }
  return out.length > maxLines ? out.slice(out.length - maxLines) : out;
}

/** Panes for the "apart" layout: PDs first (in the order they appear), then VMs. */
export function panes(view: Pick<SimView, 'output' | 'serial'>): { who: string; vm: boolean; text: string }[] {
  return [
    ...Object.entries(view.output).map(([who, text]) => ({ who, vm: false, text })),
    ...Object.entries(view.serial).map(([who, text]) => ({ who, vm: true, text })),
  ];
}

/** A line that reports an error the way the monitor and libvmm print them ("MON|ERROR: …", "vmm|ERROR: …"). */
export const isErrorLine = (text: string): boolean => /(^|\|)ERROR\b/.test(text);
