/** What every element parser shares: the kernel configuration, the reporter, file
 * access for prefills, and the attribute helpers that reproduce the tool's generic
 * checks (whitelist, required attributes, number and boolean parsing). */
import type { KernelConfig } from '../boards';
import { Reporter } from './diag';
import { parseDecimalI64, parseDecimalU64, parseGenericNumber } from './numbers';
import { type AttrContext, type ElementKey, whitelistFor } from './schema';
import type { XmlAttr, XmlElement } from './xml';

export interface Ctx {
  kernel: KernelConfig;
  r: Reporter;
  readFile?: (path: string) => Uint8Array | undefined;
}

/** Derived address-space constants (sel4.rs `Config`), from the exclusive user top. */
export function ipcBufferVaddr(k: KernelConfig): bigint {
  return (k.userTop - 1n) & ~0xfffn;
}
export function pdMapLimit(k: KernelConfig, stackSize: bigint): bigint {
  return ipcBufferVaddr(k) - 0x1000n - stackSize;
}
export function vmMapLimit(k: KernelConfig): bigint {
  return k.userTop;
}
export function smallPage(k: KernelConfig): bigint {
  return k.pageSizes[0];
}

/** `invalid attribute '<name>'` for the first attribute outside the whitelist. */
export function checkAttributes(ctx: Ctx, el: XmlElement, key: ElementKey, actx?: Partial<AttrContext>): void {
  checkAttributeList(ctx, el, whitelistFor(key, actx?.arch ?? ctx.kernel.arch, actx?.isChild, actx?.variant));
}

export function checkAttributeList(ctx: Ctx, el: XmlElement, allowed: ReadonlySet<string>): void {
  for (const a of el.attrs) {
    if (!allowed.has(a.name)) throw ctx.r.value('B.2.invalid-attribute', el, `invalid attribute '${a.name}'`, a);
  }
}

export function opt(el: XmlElement, name: string): XmlAttr | undefined {
  for (const a of el.attrs) if (a.name === name) return a;
  return undefined;
}

/** `Error: Missing required attribute '<a>' on element '<tag>': <loc>` */
export function req(ctx: Ctx, el: XmlElement, name: string): XmlAttr {
  const a = opt(el, name);
  if (!a) throw ctx.r.value('B.2.missing-attribute', el, `Missing required attribute '${name}'`);
  return a;
}

/** Generic number; `tagOf` is the element the tool names in the message (not always `el`). */
export function num(ctx: Ctx, el: XmlElement, a: XmlAttr, tagOf: XmlElement = el): bigint {
  const p = parseGenericNumber(a.value);
  if (!p.ok) {
    throw ctx.r.bare('B.2.bad-number', `Error: failed to parse integer '${a.value}' on element '${tagOf.name}': ${p.reason}`, el, a);
  }
  return p.value;
}

/** Decimal-only attribute. The tool unwraps the parse and crashes on bad input; we report it. */
export function dec(ctx: Ctx, el: XmlElement, a: XmlAttr, signed = true): bigint {
  const p = signed ? parseDecimalI64(a.value) : parseDecimalU64(a.value);
  if (!p.ok) {
    throw ctx.r.value('F.8.decimal-only', el, `${a.name} must be a decimal integer, got '${a.value}' (${p.reason})`, a);
  }
  return p.value;
}

/** `<attr> must be 'true' or 'false'` */
export function bool(ctx: Ctx, el: XmlElement, name: string, dflt: boolean): boolean {
  const a = opt(el, name);
  if (!a) return dflt;
  if (a.value === 'true') return true;
  if (a.value === 'false') return false;
  throw ctx.r.value('B.2.bad-bool', el, `${name} must be 'true' or 'false'`, a);
}

export function pos(el: XmlElement): { line: number; column: number } {
  return { line: el.line, column: el.column };
}
