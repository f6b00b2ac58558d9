import { describe, expect, it } from 'vitest';
import { findBoard } from '../boards';
import { completionsAt } from './completion';
import { hoverAt } from './hover';

const x86 = findBoard('x86_64_generic_vtx')!.kernel;
const arm = findBoard('qemu_virt_aarch64')!.kernel;
const riscv = findBoard('qemu_virt_riscv64')!.kernel;

/** Completion at the `|` in the text. */
function at(src: string, k = x86) {
  const off = src.indexOf('|');
  const text = src.slice(0, off) + src.slice(off + 1);
  const before = text.slice(0, off).split('\n');
  return completionsAt(text, before.length, before[before.length - 1].length + 1, k).map((c) => c.label);
}

describe('completion', () => {
  it('offers system at the top and its children inside', () => {
    expect(at('<|')).toEqual(['system']);
    expect(at('<system>\n  <|\n</system>').sort()).toEqual(['channel', 'domains', 'io_address_space', 'memory_region', 'protection_domain']);
  });
  it('follows the architecture and kernel', () => {
    expect(at('<system>\n  <|\n</system>', arm)).not.toContain('io_address_space');
    expect(at('<system><protection_domain name="a">\n<|', x86)).toContain('ioport');
    expect(at('<system><protection_domain name="a">\n<|', arm)).not.toContain('ioport');
    expect(at('<system><protection_domain name="a">\n<|', riscv)).not.toContain('virtual_machine');
    expect(at('<system><protection_domain name="a">\n<|', x86)).toContain('virtual_machine');
  });
  it('does not offer a second program_image', () => {
    expect(at('<system><protection_domain name="a"><program_image path="a.elf"/>\n<|')).not.toContain('program_image');
  });
  it('offers the attributes of the element, minus those present', () => {
    const attrs = at('<system><memory_region name="x" |');
    expect(attrs).toContain('size');
    expect(attrs).toContain('phys_addr');
    expect(attrs).not.toContain('name');
  });
  it('distinguishes map in a PD from map in a VM', () => {
    expect(at('<system><protection_domain name="a"><map |')).toContain('setvar_vaddr');
    expect(at('<system><protection_domain name="a"><virtual_machine name="v"><map |')).not.toContain('setvar_vaddr');
  });
  it('offers domain on PDs only when <domains> is declared', () => {
    expect(at('<system><protection_domain |')).not.toContain('domain');
    expect(at('<system><domains><domain name="d"/></domains><protection_domain |', { ...x86 })).toContain('domain');
  });
  it('offers id only on child PDs', () => {
    expect(at('<system><protection_domain |')).not.toContain('id');
    expect(at('<system><protection_domain name="p"><protection_domain |')).toContain('id');
  });
  it('offers irq attributes per architecture and variant', () => {
    expect(at('<system><protection_domain name="a"><irq |', arm)).toContain('irq');
    expect(at('<system><protection_domain name="a"><irq |', arm)).not.toContain('pin');
    expect(at('<system><protection_domain name="a"><irq pin="3" |', x86)).toContain('polarity');
    expect(at('<system><protection_domain name="a"><irq pcidev="0:1.0" |', x86)).not.toContain('polarity');
    expect(at('<system><protection_domain name="a" |', arm)).toContain('smc');
    expect(at('<system><protection_domain name="a" |', x86)).not.toContain('smc');
  });
  it('offers VM scheduling attributes only on aarch64', () => {
    expect(at('<system><protection_domain name="a"><virtual_machine |', arm)).toContain('priority');
    expect(at('<system><protection_domain name="a"><virtual_machine |', x86)).toEqual(['name']);
  });
  it('offers values: booleans, enums and names declared in the document', () => {
    expect(at('<system><protection_domain name="a" passive="|"')).toEqual(['true', 'false']);
    expect(at('<system><memory_region name="m1"/><memory_region name="m2"/><protection_domain name="a"><map mr="|"')).toEqual(['m1', 'm2']);
    expect(at('<system><channel><end pd="|"/></channel><protection_domain name="p1"/>')).toEqual(['p1']);
  });
  it('closes the innermost open element after </', () => {
    expect(at('<system><protection_domain name="a"><program_image path="a"/></|')).toEqual(['protection_domain']);
  });
  it('works after broken markup and inside comments says nothing', () => {
    expect(at('<system><protection_domain name="a" <<>\n<|')).toBeInstanceOf(Array);
    expect(at('<system><!-- <|')).toEqual([]);
  });
});

describe('hover', () => {
  function hover(src: string, k = x86) {
    const off = src.indexOf('|');
    const text = src.slice(0, off) + src.slice(off + 1);
    const before = text.slice(0, off).split('\n');
    return hoverAt(text, before.length, before[before.length - 1].length + 1, k);
  }
  it('describes an attribute with its type, default and range', () => {
    const h = hover('<system><protection_domain name="a" prio|rity="3"/></system>');
    expect(h?.contents).toContain('priority');
    expect(h?.contents).toContain('default 0');
    expect(h?.contents).toContain('0..254');
  });
  it('describes an element', () => {
    const h = hover('<system><memory_r|egion name="a"/></system>');
    expect(h?.contents).toContain('memory_region');
    expect(h?.line).toBe(1);
  });
  it('knows which map it is on', () => {
    expect(hover('<system><protection_domain name="a"><virtual_machine name="v"><map mr="x" va|ddr="0"/>')?.contents).toContain('guest-physical');
  });
  it('shows the element a reference names', () => {
    const h = hover('<system><memory_region name="ram" size="0x1000"/><protection_domain name="a"><map mr="r|am" vaddr="0"/>');
    expect(h?.contents).toContain('<memory_region name="ram" size="0x1000"/>');
    expect(hover('<system><protection_domain name="a"><map mr="n|one" vaddr="0"/>')?.contents).toContain('No `<memory_region>` named `none`');
  });
  it('returns null in text', () => {
    expect(hover('<system> | </system>')).toBeNull();
  });
});
