/** Guest assembly lines ↔ guest addresses, for breakpoints set in the editor and the current-line highlight: the
 * assembler's line map of a workspace `.asm` file, moved to where the VMM loaded that image (gpa − origin; the
 * image's own origin until a VMM has loaded it). Assembled once per file text. */
import { guestImages } from '../microkit';
import type { Kernel } from '../kernel';
import { assemble, lineOfAddress, type LineMapEntry } from '../x86';

interface Assembled {
  text: string;
  map: LineMapEntry[];
  origin: number;
}

export class GuestLines {
  private cache = new Map<string, Assembled | null>();

  private assembled(files: Record<string, string>, file: string): Assembled | null {
    const text = files[file];
    if (text === undefined) return null;
    const hit = this.cache.get(file);
    if (hit && hit.text === text) return hit;
    const r = assemble(text, { fileName: file });
    const a = r.errors.length ? null : { text, map: r.lineMap, origin: r.origin };
    this.cache.set(file, a);
    return a;
  }

  private shift(k: Kernel, file: string): number {
    const img = guestImages(k).find((i) => i.file === file);
    return img ? img.gpa - img.origin : 0;
  }

  /** The guest address of the instruction on `line` (null for a line without code or an image that does not assemble). */
  address(k: Kernel, files: Record<string, string>, file: string, line: number): number | null {
    const a = this.assembled(files, file);
    const e = a?.map.find((x) => x.line === line && x.length > 0);
    return a && e ? e.address + this.shift(k, file) : null;
  }

  /** The source line of a guest RIP, over the images loaded so far. */
  lineAt(k: Kernel, files: Record<string, string>, rip: number): { file: string; line: number } | null {
    for (const img of guestImages(k)) {
      const a = this.assembled(files, img.file);
      if (!a) continue;
      const line = lineOfAddress(a.map, rip - (img.gpa - img.origin));
      if (line !== undefined) return { file: img.file, line };
    }
    return null;
  }
}
