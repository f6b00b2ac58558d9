import { describe, expect, it } from 'vitest';
import { instrument, originalPosition, ProgramSyntaxError } from './instrument';
import { checkProgram, describeJsError, loadProgram } from './program';

describe('PD program instrumentation', () => {
  it('puts a budget check into every loop body and function entry, braced or not', () => {
    const src = 'function f() { for (;;) x(); }\nconst g = async () => { while (a) { b(); } do c(); while (d); };\n';
    const { code } = instrument(src);
    expect(code.match(/__mk_tick\(\);/g)).toHaveLength(5);
    expect(code).toContain('for (;;) {__mk_tick();x();}');
    expect(code.split('\n').length).toBe(src.split('\n').length + 1);
  });

  it('turns default and named exports into assignments on the exports object', () => {
    const p = loadProgram('m.js', 'export const setvars = { a: 0 };\nexport function helper() { return 2; }\nconst x = 1;\nexport { x as y };\nexport default { n: helper() };\n', () => {});
    expect(p.exports.setvars).toEqual({ a: 0 });
    expect(p.exports.y).toBe(1);
    expect((p.entry as unknown as { n: number }).n).toBe(2);
  });

  it('reports syntax errors and imports at their line and column', () => {
    expect(() => instrument('let a = 1;\nlet b = ;\n')).toThrow(ProgramSyntaxError);
    try {
      instrument('let a = 1;\n  import x from "y";\n');
    } catch (e) {
      expect(e).toBeInstanceOf(ProgramSyntaxError);
      expect([(e as ProgramSyntaxError).line, (e as ProgramSyntaxError).column]).toEqual([2, 3]);
    }
  });

  it('checks a program for editors without running it', () => {
    expect(checkProgram('export default {};')).toBeNull();
    expect(checkProgram('export default {\n  async init(mk) { await; }\n};')).toEqual({ line: 2, column: 25, message: 'SyntaxError: Unexpected token' });
  });

  it('maps positions in the generated code back to the original file', () => {
    const src = 'while (x) y();\nfoo();\n';
    const ins = instrument(src);
    const genLine2 = ins.code.split('\n')[1];
    expect(originalPosition(ins, 2, genLine2.indexOf('foo') + 1)).toEqual({ line: 2, column: 1 });
    const genLine1 = ins.code.split('\n')[0];
    expect(originalPosition(ins, 1, genLine1.indexOf('y()') + 1)).toEqual({ line: 1, column: 11 });
  });

  it('stops a runaway loop through the tick hook and locates a runtime error', () => {
    let ticks = 0;
    const p = loadProgram('spin.js', 'export default { init() {\n  let i = 0;\n  while (true) { i++; }\n} };\n', () => {
      if (++ticks > 100) throw new Error('budget');
    });
    expect(() => p.entry.init!({})).toThrow('budget');
    const q = loadProgram('err.js', 'export default {\n  init() { undefinedThing(); },\n};\n', () => {});
    let info;
    try {
      q.entry.init!({});
    } catch (e) {
      info = describeJsError(e, q);
    }
    expect(info).toMatchObject({ name: 'ReferenceError', line: 2, column: 12 });
  });

  it('hides wall-clock time and gives each program its own seeded Math.random', () => {
    const src = 'export default { t: typeof Date, p: typeof performance, r: [Math.random(), Math.random()] };';
    const a = loadProgram('a.js', src, () => {}).entry as unknown as { t: string; p: string; r: number[] };
    const b = loadProgram('a.js', src, () => {}).entry as unknown as { r: number[] };
    expect([a.t, a.p]).toEqual(['undefined', 'undefined']);
    expect(a.r).toEqual(b.r);
    expect(a.r[0]).not.toBe(a.r[1]);
  });
});
