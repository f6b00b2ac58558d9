import { describe, expect, it } from 'vitest';
import { findBoard } from '../../core/boards';
import { defaultExample } from '../../core/examples';
import { checkSdf } from '../../core/sdf';
import { declarationOf } from './declarations';

describe('declarations', () => {
  it('finds PDs, VMs and memory regions by name at their start tags', () => {
    const e = defaultExample();
    const text = e.files[e.main]!;
    const system = checkSdf(text, { fileName: e.main, kernel: findBoard(e.board)!.kernel }).system!;
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(declarationOf(system, 'serial')?.line).toBe(lineOf('<protection_domain name="serial"'));
    expect(declarationOf(system, 'guest')?.line).toBe(lineOf('<virtual_machine name="guest"'));
    expect(declarationOf(system, 'tx_buffer')?.line).toBe(lineOf('<memory_region name="tx_buffer"'));
    expect(declarationOf(system, 'nobody')).toBeNull();
  });
});
