import { describe, expect, it } from 'vitest';
import { interleavedLines, isErrorLine, panes } from './model';

describe('consoles view model', () => {
  it('interleaves output by line, keeping a line written in pieces together', () => {
    const lines = interleavedLines([
      { who: 'vmm', vm: false, text: 'vmm: start' },
      { who: 'guest', vm: true, text: 'guest: hello\n..' },
      { who: 'vmm', vm: false, text: 'ed\n' },
      { who: 'guest', vm: true, text: '...\ndone\n' },
    ]);
    expect(lines).toEqual([
      { who: 'vmm', vm: false, text: 'vmm: started' },
      { who: 'guest', vm: true, text: 'guest: hello' },
      { who: 'guest', vm: true, text: '.....' },
      { who: 'guest', vm: true, text: 'done' },
    ]);
  });

  it('keeps only the latest lines', () => {
    const order = Array.from({ length: 10 }, (_, i) => ({ who: 'p', vm: false, text: `${i}\n` }));
    expect(interleavedLines(order, 3).map((l) => l.text)).toEqual(['7', '8', '9']);
  });

  it('lists PD outputs before VM serial consoles', () => {
    expect(panes({ output: { monitor: 'a', vmm: 'b' }, serial: { guest: 'c' } }).map((p) => [p.who, p.vm])).toEqual([
      ['monitor', false], ['vmm', false], ['guest', true],
    ]);
  });
});

describe('error lines', () => {
  it('marks the monitor\'s and the VMM\'s ERROR reports, not ordinary text', () => {
    expect(isErrorLine('MON|ERROR: JavaScript TypeError: boom')).toBe(true);
    expect(isErrorLine('vmm|ERROR: guest triple fault at RIP 0x101e')).toBe(true);
    expect(isErrorLine('MON|INFO: Microkit Monitor started!')).toBe(false);
    expect(isErrorLine('client: no ERRORS here')).toBe(false);
  });
});
