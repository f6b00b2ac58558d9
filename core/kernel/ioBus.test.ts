import { describe, expect, it } from 'vitest';
import { seL4_IllegalOperation } from './constants';
import type { IoPortBus } from './ioBus';
import { boot, ROOT } from './testkit';

/** Issue an IOPort cap for [first, last] into the root CNode's first free slot. */
function withPorts(first: number, last: number) {
  const h = boot();
  const slot = h.free;
  expect(h.call(7, 'X86IOPortControlIssue', [first, last, slot, 64], [ROOT]).err).toBe(0);
  return { h, port: slot };
}

class RecordingBus implements IoPortBus {
  outs: [number, number, bigint][] = [];
  ins: [number, number][] = [];
  in(port: number, size: number): bigint {
    this.ins.push([port, size]);
    return 0x1234_5678_9an + BigInt(port); // wider than any access: the kernel must mask it
  }
  out(port: number, size: number, value: bigint): void {
    this.outs.push([port, size, value]);
  }
}

describe('the kernel I/O port bus hook', () => {
  it('sends X86_IOPort_Out8/16/32 to the installed bus with the port, width and masked value', () => {
    const { h, port } = withPorts(0x3f8, 0x3ff);
    const bus = new RecordingBus();
    h.kernel.ioBus = bus;
    expect(h.call(port, 'X86IOPortOut8', [0x3f8, 0x168]).err).toBe(0);
    expect(h.call(port, 'X86IOPortOut16', [0x3fa, 0xabcdef]).err).toBe(0);
    expect(h.call(port, 'X86IOPortOut32', [0x3fc, 0x1_2345_6789n]).err).toBe(0);
    expect(bus.outs).toEqual([[0x3f8, 1, 0x68n], [0x3fa, 2, 0xcdefn], [0x3fc, 4, 0x2345_6789n]]);
  });

  it('answers X86_IOPort_In with what the bus reads, cut to the access width', () => {
    const { h, port } = withPorts(0x3f8, 0x3ff);
    const bus = new RecordingBus();
    h.kernel.ioBus = bus;
    expect(h.call(port, 'X86IOPortIn8', [0x3fd])).toEqual({ err: 0, mrs: [BigInt((0x9a + 0x3fd) & 0xff)] });
    expect(h.call(port, 'X86IOPortIn32', [0x3f8]).mrs).toEqual([(0x1234_5678_9an + 0x3f8n) & 0xffff_ffffn]);
    expect(bus.ins).toEqual([[0x3fd, 1], [0x3f8, 4]]);
  });

  it('never reaches the bus for a port outside the cap (IllegalOperation)', () => {
    const { h, port } = withPorts(0x3f8, 0x3ff);
    const bus = new RecordingBus();
    h.kernel.ioBus = bus;
    expect(h.call(port, 'X86IOPortOut8', [0x2f8, 0x41]).err).toBe(seL4_IllegalOperation);
    expect(h.call(port, 'X86IOPortIn16', [0x3ff]).err).toBe(seL4_IllegalOperation);
    expect(bus.outs).toEqual([]);
    expect(bus.ins).toEqual([]);
  });

  it('without a bus, In reads back the last Out', () => {
    const { h, port } = withPorts(0x80, 0x80);
    expect(h.kernel.ioBus).toBeNull();
    expect(h.call(port, 'X86IOPortOut8', [0x80, 0x5a]).err).toBe(0);
    expect(h.call(port, 'X86IOPortIn8', [0x80]).mrs).toEqual([0x5an]);
  });
});
