/** Every area's SIMPLIFICATIONS.md, inlined at build time: the one written list of where
 * the simulator differs from seL4, Microkit, libvmm and the hardware, shown in the UI as is. */
const FILES = import.meta.glob<string>(['../../core/**/SIMPLIFICATIONS.md', '../**/SIMPLIFICATIONS.md'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

export interface FidelityNote {
  /** e.g. "core/kernel" */
  area: string;
  markdown: string;
}

/** the order a reader meets the parts: language, kernel, build, runtime, CPU, VMs, UI */
const ORDER = ['core/sdf', 'core/kernel', 'core/build', 'core/microkit', 'core/sim', 'core/x86', 'core/x86/asm', 'core/guest', 'core/vmm', 'core/examples', 'app'];

export function areaOf(path: string): string {
  // glob keys are relative to app/fidelity/: "../../core/x86/SIMPLIFICATIONS.md", "../caps/SIMPLIFICATIONS.md"
  const dir = path.replace(/\/?SIMPLIFICATIONS\.md$/, '');
  if (dir.startsWith('../../')) return dir.slice('../../'.length);
  const rest = dir.replace(/^\.\.\/?/, '');
  return rest ? `app/${rest}` : 'app';
}

export function fidelityNotes(files: Record<string, string> = FILES): FidelityNote[] {
  const notes = Object.entries(files).map(([path, markdown]) => ({ area: areaOf(path), markdown }));
  const rank = (a: string) => {
    const i = ORDER.findIndex((o) => a === o);
    return i < 0 ? ORDER.length : i;
  };
  return notes.sort((a, b) => rank(a.area) - rank(b.area) || a.area.localeCompare(b.area));
}
