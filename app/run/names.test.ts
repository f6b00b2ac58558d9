import { describe, expect, it } from 'vitest';
import { findBoard } from '../../core/boards';
import { findExample } from '../../core/examples';
import { checkSdf } from '../../core/sdf';
import { breakpointLabel } from './format';
import { guestRegionAt, guestRegions, pdChannels, pdIrqs } from './names';

function systemOf(id: string) {
  const e = findExample(id)!;
  const { system } = checkSdf(e.files[e.main]!, { fileName: e.main, kernel: findBoard(e.board)!.kernel });
  if (!system) throw new Error(`${id} does not check`);
  return system;
}

describe('names over numbers from the SDF', () => {
  it('names the PD at the other end of each channel, and the wiring of each IRQ', () => {
    const basic = systemOf('x86-vm-basic');
    expect(pdChannels(basic, 'vmm')).toEqual([{ id: 1, peer: 'serial' }, { id: 2, peer: 'client' }]);
    expect(pdIrqs(basic, 'serial')).toEqual([{ id: 3, source: 'IOAPIC pin 4, vector 36' }]);
    expect(pdChannels(basic, 'nobody')).toEqual([]);
    expect(pdChannels(null, 'vmm')).toEqual([]);
  });

  it('writes breakpoints on channels and IRQs with those names', () => {
    const pp = systemOf('notify-pingpong');
    expect(breakpointLabel({ kind: 'channel', pd: 'pong', ch: 0 }, pp)).toBe('pong: channel 0 (ping)');
    expect(breakpointLabel({ kind: 'channel', pd: 'pong', ch: 5 }, pp)).toBe('pong: channel 5');
    const timer = systemOf('timer-driver');
    expect(breakpointLabel({ kind: 'irq', pd: 'timer', id: 1 }, timer)).toBe('IRQ 1 of timer (IOAPIC pin 8, vector 40)');
  });

  it('finds the memory region behind a guest-physical address', () => {
    const regions = guestRegions(systemOf('x86-vm-timer'), 'guest');
    expect(regions).toEqual([{ mr: 'guest_ram', base: 0, size: 0x200000, perms: 'rwx' }]);
    expect(guestRegionAt(regions, 0)).toBe('guest_ram (rwx)');
    expect(guestRegionAt(regions, 0x1000)).toBe('guest_ram+0x1000 (rwx)');
    expect(guestRegionAt(regions, 0x200000)).toBeNull();
  });
});
