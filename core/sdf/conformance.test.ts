/** The upstream microkit tool's own SDF tests (../shared/conformance/microkit-sdf/cases.tsv):
 * same verdict, and every error message starts with the tool's text. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSdf } from './checkSdf';
import { testKernelConfig } from './kernelConfigs';

const repoRoot = path.resolve(__dirname, '../..');
const dir = path.resolve(repoRoot, '../shared/conformance/microkit-sdf');

interface Case {
  test: string;
  file: string;
  config: string;
  verdict: 'ok' | 'error';
  prefix: string;
}

function loadCases(): Case[] {
  const lines = readFileSync(path.join(dir, 'cases.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
  return lines.map((l) => {
    const [test, file, config, verdict, prefix = ''] = l.split('\t');
    return { test, file, config, verdict: verdict as Case['verdict'], prefix: prefix.replace(/\\n/g, '\n') };
  });
}

/** Cases of cases.tsv where upstream crashes or has a clear bug and we answer differently on
 * purpose (§F). None of the 147 listed cases needs one; the deviations we do have are listed,
 * with their reasons, in DEVIATION_CASES below (and in SIMPLIFICATIONS.md). */
const DEVIATIONS: Record<string, string> = {};

const IMG = '<program_image path="a.elf"/>';
const pd = (attrs: string, body = '') => `<protection_domain ${attrs}>${IMG}${body}</protection_domain>`;

/** [input, what the tool does, why we differ, our first message] */
const DEVIATION_CASES: [string, string, string, string][] = [
  [
    `<system>${pd('name="a"', '<irq irq="0x20" id="1"/>')}</system>`,
    'panics (decimal-only attribute parsed with unwrap, §F.8)',
    'a crash is no diagnostic',
    "Error: irq must be a decimal integer, got '0x20' (invalid digit found in string) on element 'irq': d.system:1:66",
  ],
  [
    `<system>${pd('name="a" cpu="300"')}</system>`,
    'panics (cpu does not fit a u8)',
    'a crash is no diagnostic',
    "Error: cpu core must be less than 1, got 300 on element 'protection_domain': d.system:1:9",
  ],
  [
    `<system>${pd('name="a"', '<virtual_machine name="v"><vcpu id="0"/><vcpu id="1"/></virtual_machine>')}</system>`,
    'assertion failure in the capDL spec builder (§B.16 rule 144, x86_64 only)',
    'decidable from the SDF; a crash is no diagnostic',
    "Error: virtual machine 'v' has 2 vcpus, but x86_64 virtual machines must have exactly one",
  ],
  [
    `<system>${pd('name="a"', pd('name="b" id="62"'))}</system>`,
    'accepts any child id (§F.5)',
    'ids above 61 overflow the cap-slot window and badge bits at runtime',
    "Error: id must be < 62 on element 'protection_domain': d.system:1:66",
  ],
  [
    `<system>${pd('name="a"', '<setvar symbol="s" region_paddr="nope"/>')}</system>`,
    'panics later (§F.15)',
    'a crash is no diagnostic',
    "Error: setvar 's' has 'region_paddr' naming unknown memory region 'nope' @ d.system:1:66",
  ],
  [
    `<system><memory_region name="m" size="0"/>${pd('name="a"', '<map mr="m" vaddr="0x1000"/>')}</system>`,
    'accepts, fails later (§F.15)',
    'a region without frames cannot be built',
    "Error: memory region 'm' has size 0 @ d.system:1:9",
  ],
];

function readPrefill(p: string): Uint8Array | undefined {
  const full = path.join(dir, 'prefills', p);
  return existsSync(full) ? new Uint8Array(readFileSync(full)) : undefined;
}

describe('microkit tool SDF conformance', () => {
  const cases = loadCases();
  it('has all 147 upstream cases', () => {
    expect(cases.length).toBe(147);
  });
  for (const c of cases) {
    const name = `${c.test} (${c.file}, ${c.config})`;
    it.skipIf(c.test in DEVIATIONS)(name, () => {
      const text = readFileSync(path.join(dir, 'sdf', c.file), 'utf8');
      const res = checkSdf(text, { fileName: c.file, kernel: testKernelConfig(c.config), readFile: readPrefill });
      const errors = res.diagnostics.filter((d) => d.severity === 'error');
      if (c.verdict === 'ok') {
        expect(errors.map((d) => d.toolMessage)).toEqual([]);
        expect(res.system).not.toBeNull();
      } else {
        expect(res.system).toBeNull();
        expect(errors[0]?.toolMessage.startsWith(c.prefix), `got: ${errors[0]?.toolMessage}\nwant: ${c.prefix}`).toBe(true);
      }
    });
  }
});

describe('documented deviations from the tool (§F)', () => {
  for (const [text, tool, why, want] of DEVIATION_CASES) {
    const config = text.includes('vcpu id="1"') ? 'x86_64' : 'aarch64';
    it(`tool ${tool}; we report an error because ${why}`, () => {
      const res = checkSdf(text, { fileName: 'd.system', kernel: testKernelConfig(config) });
      expect(res.system).toBeNull();
      expect(res.diagnostics[0].toolMessage).toBe(want);
    });
  }
});

describe('upstream test files no upstream test uses', () => {
  const run = (file: string) =>
    checkSdf(readFileSync(path.join(dir, 'sdf', file), 'utf8'), { fileName: file, kernel: testKernelConfig('aarch64'), readFile: readPrefill });
  it('ch_missing_pd.system: an end without pd', () => {
    expect(run('ch_missing_pd.system').diagnostics[0].toolMessage).toBe(
      "Error: Missing required attribute 'pd' on element 'end': ch_missing_pd.system:15:9",
    );
  });
  it('vm_invalid_vcpu_cpu.system: deviation, the tool crashes on cpu 300 (not a u8); we report the range', () => {
    expect(run('vm_invalid_vcpu_cpu.system').diagnostics[0].toolMessage).toBe(
      "Error: cpu core must be less than 1, got 300 on element 'vcpu': vm_invalid_vcpu_cpu.system:10:13",
    );
  });
});
