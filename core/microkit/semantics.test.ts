/** libmicrokit and monitor behaviour on the kernel model, checked by the order of what PDs print. */
import { describe, expect, it } from 'vitest';
import { boardKernel, findBoard } from '../boards';
import { runWorkspace } from '../sim';
import { channel, lines, workspace } from '../sim/testing/systems';

const X86 = 'x86_64_generic_vtx';
const ARM = 'qemu_virt_aarch64';

describe('notifications', { timeout: 30_000 }, () => {
  it('delivers the bits of one notification word in ascending channel order, repeated signals coalesced', async () => {
    const ws = workspace(
      [
        {
          name: 'high', priority: 200,
          program: `export default { async init(mk) { await mk.notify(0); await mk.notify(1); await mk.notify(0); mk.dbg_puts('high: done\\n'); }, async notified() {} };`,
        },
        { name: 'low', priority: 100, program: `export default { async init(mk) { mk.dbg_puts('low: init\\n'); }, async notified(mk, ch) { mk.dbg_puts('low: notified ' + ch + '\\n'); } };` },
      ],
      [channel('high', 0, 'low', 5), channel('high', 1, 'low', 2)],
    );
    const s = await runWorkspace(ws, { board: X86 });
    expect(lines(s.console)).toEqual(['high: done', 'low: init', 'low: notified 2', 'low: notified 5']);
  });

  it('preempts the sender only when the receiver has a higher priority', async () => {
    const prog = (me: string) =>
      `let n = 0; export default { async init(mk) { if ('${me}' === 'a') { mk.dbg_puts('a: before\\n'); await mk.notify(0); mk.dbg_puts('a: after\\n'); } },
        async notified(mk, ch) { n++; mk.dbg_puts('${me}: notified ' + n + '\\n'); if ('${me}' === 'b' && n === 1) { await mk.notify(0); mk.dbg_puts('b: after\\n'); } } };`;
    const ws = workspace([{ name: 'a', priority: 50, program: prog('a') }, { name: 'b', priority: 60, program: prog('b') }], [channel('a', 0, 'b', 0)]);
    const s = await runWorkspace(ws, { board: X86 });
    expect(lines(s.console)).toEqual(['a: before', 'b: notified 1', 'b: after', 'a: after', 'a: notified 1']);
  });

  it('delivers a deferred notify when the entry point returns, and keeps only the last deferred call', async () => {
    const ws = workspace(
      [
        { name: 'low', priority: 10, program: `export default { async init(mk) { mk.deferred_notify(0); mk.deferred_notify(1); mk.dbg_puts('low: init returns\\n'); }, async notified() {} };` },
        { name: 'high', priority: 20, program: `export default { async notified(mk, ch) { mk.dbg_puts('high: notified ' + ch + '\\n'); } };` },
      ],
      [channel('low', 0, 'high', 0), channel('low', 1, 'high', 1)],
    );
    const s = await runWorkspace(ws, { board: X86 });
    expect(lines(s.console)).toEqual(['low: init returns', 'high: notified 1']);
  });

  it('prints console.log lines as the PD\'s debug output', async () => {
    const ws = workspace([{ name: 'talker', priority: 1, program: `export default { async init(mk) { console.log('n =', 3, 4n); mk.dbg_puts('done\\n'); } };` }]);
    const s = await runWorkspace(ws, { board: X86 });
    expect(s.output.talker).toBe('n = 3 4\ndone\n');
  });

  it('reports an invalid channel as libmicrokit does and makes no syscall', async () => {
    const ws = workspace([{ name: 'solo', priority: 1, program: `export default { async init(mk) { await mk.notify(7); await mk.ppcall(3, mk.msginfo_new(0, 0)); mk.dbg_puts('solo: still here\\n'); } };` }]);
    const s = await runWorkspace(ws, { board: X86 });
    expect(lines(s.console)).toEqual(["solo microkit_notify: invalid channel given '7'", "solo microkit_ppcall: invalid channel given '3'", 'solo: still here']);
  });
});

describe('protected procedure calls', { timeout: 30_000 }, () => {
  it('runs nested PPCs at strictly increasing priorities and returns replies down the chain', async () => {
    const ws = workspace(
      [
        { name: 'a', priority: 100, program: `export default { async init(mk) { mk.mr_set(0, 1); const r = await mk.ppcall(0, mk.msginfo_new(7, 1)); mk.dbg_puts('a: got ' + mk.mr_get(0) + ' label ' + mk.msginfo_get_label(r) + '\\n'); } };` },
        { name: 'b', priority: 150, program: `export default { async protected(mk, ch, m) { mk.dbg_puts('b: label ' + mk.msginfo_get_label(m) + ' mr0 ' + mk.mr_get(0) + '\\n'); mk.mr_set(0, mk.mr_get(0) + 1); await mk.ppcall(1, mk.msginfo_new(0, 1)); mk.dbg_puts('b: c returned ' + mk.mr_get(0) + '\\n'); mk.mr_set(0, mk.mr_get(0) * 10); return mk.msginfo_new(3, 1); } };` },
        { name: 'c', priority: 200, program: `export default { async protected(mk, ch, m) { mk.dbg_puts('c: mr0 ' + mk.mr_get(0) + '\\n'); mk.mr_set(0, mk.mr_get(0) + 1); return mk.msginfo_new(0, 1); } };` },
      ],
      [channel('a', 0, 'b', 0, 'pp="true"'), channel('b', 1, 'c', 0, 'pp="true"')],
    );
    const s = await runWorkspace(ws, { board: X86 });
    expect(lines(s.console)).toEqual(['b: label 7 mr0 1', 'c: mr0 2', 'b: c returned 3', 'a: got 30 label 3']);
  });

  it('lets a passive server run PPCs on the caller\'s scheduling context', async () => {
    const ws = workspace(
      [
        { name: 'srv', priority: 200, attrs: 'passive="true"', program: `export default { async init(mk) {}, async protected(mk) { mk.dbg_puts('srv: call\\n'); return mk.msginfo_new(0, 0); } };` },
        { name: 'cli', priority: 100, program: `export default { async init(mk) { await mk.ppcall(0, mk.msginfo_new(0, 0)); mk.dbg_puts('cli: back\\n'); } };` },
      ],
      [channel('cli', 0, 'srv', 0, 'pp="true"')],
    );
    const s = await runWorkspace(ws, { board: X86 });
    expect(lines(s.console)).toEqual(["MON|INFO: PD 'srv' is now passive!", 'srv: call', 'cli: back']);
    expect(s.threads.find((t) => t.name === 'srv')?.state).toBe('BlockedOnReceive');
  });

  it('crashes a server without a protected entry point as libmicrokit\'s weak default does', async () => {
    const ws = workspace(
      [
        { name: 'srv', priority: 200, program: `export default { async init(mk) {} };` },
        { name: 'cli', priority: 100, program: `export default { async init(mk) { await mk.ppcall(0, mk.msginfo_new(0, 0)); } };` },
      ],
      [channel('cli', 0, 'srv', 0, 'pp="true"')],
    );
    const s = await runWorkspace(ws, { board: X86 });
    expect(s.console).toContain("srv is missing the 'protected' entry point\n");
    expect(s.console).toContain('MON|ERROR: VMFault: ip=0x0000000000200800  fault_addr=0x0000000000000000');
  });
});

describe('faults and the monitor', { timeout: 30_000 }, () => {
  it('prints the x86 monitor report for a top-level PD\'s VM fault; the rest of the system goes on', async () => {
    const ws = workspace([
      { name: 'crasher', priority: 200, program: `export default { async init(mk) { mk.dbg_puts('crasher: writing\\n'); mk.write8(0x10, 1); mk.dbg_puts('never\\n'); } };` },
      { name: 'other', priority: 100, program: `export default { async init(mk) { mk.dbg_puts('other: alive\\n'); } };` },
    ]);
    const s = await runWorkspace(ws, { board: X86 });
    const l = lines(s.console);
    expect(l.slice(0, 5)).toEqual([
      'crasher: writing',
      'MON|ERROR: received message 0x00000006  badge: 0x0000000000000001  tcb cap: 0x000000000000000a',
      'MON|ERROR: faulting PD: crasher',
      'Registers: ',
      'rip : 0x0000000000200800',
    ]);
    expect(l[5]).toMatch(/^rsp: 0x00007fffffffd000$/);
    expect(l).toContain('MON|ERROR: VMFault: ip=0x0000000000200800  fault_addr=0x0000000000000010  fsr=0x0000000000000006  (data fault)');
    expect(l).toContain('MON|ERROR: description of fault: write to a non-present page at ring 3');
    expect(l[l.length - 1]).toBe('other: alive');
    expect(l).not.toContain('never');
    expect(s.faults).toEqual([{ time: expect.any(Number), pd: 'crasher', label: 6, handler: 'monitor', text: null, address: '0x10' }]);
  });

  it('reports a stack overflow hint for a fault just below the stack', async () => {
    const ws = workspace([{ name: 'deep', priority: 1, program: `export default { async init(mk) { mk.read32(0x7fffffffb000 - 8); } };` }]);
    const s = await runWorkspace(ws, { board: X86 });
    expect(s.console).toContain('MON|ERROR: potential stack overflow, fault address within one page outside of stack region\n');
    expect(s.console).toContain('description of fault: read to a non-present page at ring 3');
  });

  it('turns a JavaScript exception into a user exception with the message and its line in the PD file', async () => {
    const ws = workspace([{ name: 'thrower', priority: 1, program: `// line 1\nexport default {\n  async init(mk) { const o = null; o.x = 1; },\n};\n` }]);
    const s = await runWorkspace(ws, { board: X86 });
    expect(s.console).toContain('MON|ERROR: received message 0x00000003  badge: 0x0000000000000001');
    expect(s.console).toContain('MON|ERROR: UserException\n');
    expect(s.console).toMatch(/MON\|ERROR: JavaScript TypeError: [^\n]* \(at thrower\.js:3:\d+\)\n/);
    expect(s.faults[0]).toMatchObject({ pd: 'thrower', label: 3, handler: 'monitor' });
    expect(s.faults[0].text).toMatch(/^JavaScript TypeError/);
  });

  it('stops a PD that never enters the kernel with the watchdog; other PDs still run', async () => {
    const ws = workspace([
      { name: 'spin', priority: 200, program: `export default { async init(mk) { while (true) {} } };` },
      { name: 'other', priority: 100, program: `export default { async init(mk) { mk.dbg_puts('other: alive\\n'); } };` },
    ]);
    const s = await runWorkspace(ws, { board: X86, tickLimit: 10_000 });
    expect(s.console).toContain('MON|ERROR: watchdog: spin ran 10000 loop iterations without entering the kernel; stopped\n');
    expect(lines(s.console).pop()).toBe('other: alive');
  });

  it('shows a syntax error at its line and column, and runs the rest of the system', async () => {
    const ws = workspace([
      { name: 'bad', priority: 200, program: `export default {\n  async init(mk) { let x = ; }\n};\n` },
      { name: 'other', priority: 100, program: `export default { async init(mk) { mk.dbg_puts('other: alive\\n'); } };` },
    ]);
    const s = await runWorkspace(ws, { board: X86 });
    expect(s.console).toContain('MON|ERROR: bad.js:2:28: SyntaxError: Unexpected token\n');
    expect(lines(s.console).pop()).toBe('other: alive');
  });

  it('reports a kernel call made before the previous one was awaited', async () => {
    const ws = workspace(
      [
        { name: 'eager', priority: 100, program: `export default { async init(mk) { mk.notify(0); mk.notify(0); } };` },
        { name: 'peer', priority: 50, program: `export default { async notified(mk) { mk.dbg_puts('peer: notified\\n'); } };` },
      ],
      [channel('eager', 0, 'peer', 0)],
    );
    const s = await runWorkspace(ws, { board: X86 });
    expect(s.console).toContain('MON|ERROR: mk.notify was called before mk.notify returned: every mk call that enters the kernel must be awaited\n');
  });

  it('prints the kernel\'s null-cap message and crashes on a failed pd_restart', async () => {
    const ws = workspace([{ name: 'lonely', priority: 1, program: `export default { async init(mk) { await mk.pd_restart(5, 0x200000); } };` }]);
    const s = await runWorkspace(ws, { board: X86 });
    expect(s.console).toMatch(/<<seL4\(CPU 0\) \[decodeInvocation\/530 T0x[0-9a-f]+ "lonely" @200800\]: Attempted to invoke a null cap #207\.>>\n/);
    expect(s.console).toContain('microkit_pd_restart: error writing TCB registers\n');
    expect(s.console).toContain('fault_addr=0x0000000000000002');
  });

  it('gives a child fault to the parent with the child id; on AArch64 a true return resumes (re-faults) the child', async () => {
    const ws = workspace(
      [
        {
          name: 'parent', priority: 100,
          program: `let n = 0; export default { async init(mk) {}, async fault(mk, child, m) { n++; mk.dbg_puts('parent: fault ' + n + ' child ' + child + ' label ' + mk.msginfo_get_label(m) + ' addr ' + mk.mr_get(1) + '\\n'); if (n === 2) { await mk.pd_stop(child); return false; } return true; } };`,
          inner: `    <protection_domain name="kid" id="4" priority="50">\n      <program_image path="kid.elf" />\n    </protection_domain>\n`,
        },
      ],
    );
    ws.files['kid.js'] = `export default { async init(mk) { mk.read8(0x1234); } };`;
    const s = await runWorkspace(ws, { board: ARM });
    expect(lines(s.console)).toEqual(['parent: fault 1 child 4 label 6 addr 4660', 'parent: fault 2 child 4 label 6 addr 4660']);
  });
});

describe('the VT-x board quirk', { timeout: 30_000 }, () => {
  it('never replies to a child fault on x86_64_generic_vtx, even when fault() returns true', async () => {
    const ws = workspace([
      {
        name: 'parent', priority: 100,
        program: `let n = 0; export default { async init(mk) {}, async fault(mk, child) { n++; mk.dbg_puts('parent: fault ' + n + '\\n'); return true; } };`,
        inner: `    <protection_domain name="kid" id="1" priority="50">\n      <program_image path="kid.elf" />\n    </protection_domain>\n`,
      },
    ]);
    ws.files['kid.js'] = `export default { async init(mk) { mk.read8(0x1234); } };`;
    const s = await runWorkspace(ws, { board: X86 });
    expect(lines(s.console)).toEqual(['parent: fault 1']);
    expect(s.threads.find((t) => t.name === 'kid')?.state).toBe('BlockedOnReply');
  });
});

describe('scheduling', { timeout: 30_000 }, () => {
  it('queues lower-priority PDs woken by a signal at the head of their queue: the last one woken runs first', async () => {
    const waiter = (n: string) => `export default { async init(mk) { mk.dbg_puts('${n}: init\\n'); }, async notified(mk, ch) { mk.dbg_puts('${n}: notified\\n'); } };`;
    const ws = workspace(
      [
        { name: 'high', priority: 200, program: `export default { async notified(mk) { await mk.notify(1); await mk.notify(2); mk.dbg_puts('high: done\\n'); } };` },
        { name: 'a', priority: 100, program: waiter('a') },
        { name: 'b', priority: 100, program: waiter('b') },
        { name: 'starter', priority: 50, program: `export default { async init(mk) { await mk.notify(0); } };` },
      ],
      [channel('starter', 0, 'high', 0), channel('high', 1, 'a', 0), channel('high', 2, 'b', 0)],
    );
    const s = await runWorkspace(ws, { board: X86 });
    expect(lines(s.console).slice(2)).toEqual(['high: done', 'b: notified', 'a: notified']);
  });

  it('does not preempt for a signal to an equal priority; the woken PD runs after the sender blocks', async () => {
    const ws = workspace(
      [
        { name: 'p', priority: 100, program: `export default { async init(mk) { await mk.notify(0); mk.dbg_puts('p: after notify\\n'); } };` },
        { name: 'q', priority: 100, program: `export default { async init(mk) { mk.dbg_puts('q: init\\n'); }, async notified(mk) { mk.dbg_puts('q: notified\\n'); } };` },
      ],
      [channel('p', 0, 'q', 0)],
    );
    const s = await runWorkspace(ws, { board: X86 });
    const l = lines(s.console);
    expect(l.indexOf('p: after notify')).toBeLessThan(l.indexOf('q: notified'));
    expect(l).toContain('q: init');
  });

  it('runs PDs pinned to different cores', async () => {
    const board = findBoard(ARM)!;
    const smp = { ...board, kernel: boardKernel(board, { smp: true }) };
    const ws = workspace([
      { name: 'zero', priority: 100, program: `export default { async init(mk) { mk.dbg_puts('zero: up\\n'); } };` },
      { name: 'one', priority: 100, attrs: 'cpu="1"', program: `export default { async init(mk) { mk.dbg_puts('one: up\\n'); } };` },
    ]);
    const s = await runWorkspace(ws, { board: smp });
    expect(lines(s.console).sort()).toEqual(['one: up', 'zero: up']);
    expect(s.threads.find((t) => t.name === 'one')?.core).toBe(1);
  });

  it('stops a PD that used up its budget until its period replenishes it, letting lower priorities run', async () => {
    const ws = workspace(
      [
        { name: 'hog', priority: 200, attrs: 'budget="100" period="1000"', program: `export default { async init(mk) { for (;;) await mk.notify(0); } };` },
        { name: 'victim', priority: 100, program: `let n = 0; export default { async notified(mk) { n++; if (n <= 2) mk.dbg_puts('victim: ran\\n'); } };` },
      ],
      [channel('hog', 0, 'victim', 0)],
    );
    const s = await runWorkspace(ws, { board: X86, maxEvents: 5000 });
    expect(lines(s.console)).toEqual(['victim: ran', 'victim: ran']);
  });
});
