/** Lazy arithmetic flags: ALU instructions record their operands and result; CF/PF/AF/ZF/SF/OF
 * are computed only when something reads them. 64-bit operations keep both 32-bit halves. */
import { FLAG } from './constants';

const CF = FLAG.CF, PF = FLAG.PF, AF = FLAG.AF, ZF = FLAG.ZF, SF = FLAG.SF, OF = FLAG.OF;

/** Which operation produced the recorded result (0 = flags are materialised in flagsRaw). */
export const enum FOp { None = 0, Add = 1, Adc = 2, Sub = 3, Sbb = 4, Logic = 5, Inc = 6, Dec = 7 }

const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let b = i, p = 1;
  while (b) { p ^= b & 1; b >>= 1; }
  PARITY[i] = p ? PF : 0;
}

const SIGN_BIT = [0, 0x80, 0x8000, 0, 0x80000000];

export class LazyFlags {
  /** RFLAGS; the arithmetic bits are valid only when fOp = None (CF also for Inc/Dec) */
  flagsRaw = 2;
  fOp: FOp = FOp.None;
  fSize = 4;
  fRes = 0;
  fResH = 0;
  fA = 0;
  fAH = 0;
  fB = 0;
  fBH = 0;

  /** Records an ALU result. Values are sized (1/2 bytes unsigned, 4 as int32; 8 uses the H halves). */
  setLazy(op: FOp, size: number, res: number, a: number, b: number, resH = 0, aH = 0, bH = 0): void {
    if (op === FOp.Inc || op === FOp.Dec) this.flagsRaw = (this.flagsRaw & ~CF) | this.cf();
    this.fOp = op;
    this.fSize = size;
    this.fRes = res;
    this.fA = a;
    this.fB = b;
    this.fResH = resH;
    this.fAH = aH;
    this.fBH = bH;
  }

  /** Sets the arithmetic flags directly (shifts, multiplies, bit ops). */
  setArith(bits: number): void {
    this.flagsRaw = (this.flagsRaw & ~(CF | PF | AF | ZF | SF | OF)) | bits;
    this.fOp = FOp.None;
  }

  /** Makes flagsRaw hold every arithmetic flag (before instructions that change only some of them). */
  materialise(): void {
    if (this.fOp !== FOp.None) this.setArith(this.arithFlags());
  }

  cf(): number {
    const s = this.fSize;
    switch (this.fOp) {
      case FOp.None: case FOp.Inc: case FOp.Dec: return this.flagsRaw & CF;
      case FOp.Logic: return 0;
      case FOp.Add: case FOp.Adc: {
        const withCarry = this.fOp === FOp.Adc && this.fBH2 === 1;
        if (s === 8) {
          const rh = this.fResH >>> 0, ah = this.fAH >>> 0;
          if (rh !== ah) return rh < ah ? 1 : 0;
          const rl = this.fRes >>> 0, al = this.fA >>> 0;
          return (withCarry ? rl <= al : rl < al) ? 1 : 0;
        }
        const r = this.fRes >>> 0, a = this.fA >>> 0;
        return (withCarry ? r <= a : r < a) ? 1 : 0;
      }
      case FOp.Sub: case FOp.Sbb: {
        const withBorrow = this.fOp === FOp.Sbb && this.fBH2 === 1;
        if (s === 8) {
          const ah = this.fAH >>> 0, bh = this.fBH >>> 0;
          if (ah !== bh) return ah < bh ? 1 : 0;
          const al = this.fA >>> 0, bl = this.fB >>> 0;
          return (withBorrow ? al <= bl : al < bl) ? 1 : 0;
        }
        const a = this.fA >>> 0, b = this.fB >>> 0;
        return (withBorrow ? a <= b : a < b) ? 1 : 0;
      }
    }
    return 0;
  }
  /** carry-in of the last ADC/SBB (kept apart from the operand halves) */
  fBH2 = 0;

  zf(): boolean {
    if (this.fOp === FOp.None) return (this.flagsRaw & ZF) !== 0;
    return this.fSize === 8 ? (this.fRes | this.fResH) === 0 : this.fRes === 0;
  }
  sf(): boolean {
    if (this.fOp === FOp.None) return (this.flagsRaw & SF) !== 0;
    const s = this.fSize;
    if (s === 8) return this.fResH < 0;
    if (s === 4) return this.fRes < 0;
    return (this.fRes & SIGN_BIT[s]) !== 0;
  }
  of(): boolean {
    const s = this.fSize;
    let x: number;
    switch (this.fOp) {
      case FOp.None: return (this.flagsRaw & OF) !== 0;
      case FOp.Logic: return false;
      case FOp.Add: case FOp.Adc: case FOp.Inc:
        x = s === 8 ? (this.fAH ^ this.fResH) & (this.fBH ^ this.fResH) : (this.fA ^ this.fRes) & (this.fB ^ this.fRes);
        break;
      default: // Sub, Sbb, Dec
        x = s === 8 ? (this.fAH ^ this.fBH) & (this.fAH ^ this.fResH) : (this.fA ^ this.fB) & (this.fA ^ this.fRes);
    }
    return s === 8 || s === 4 ? x < 0 : (x & SIGN_BIT[s]) !== 0;
  }
  pf(): boolean {
    if (this.fOp === FOp.None) return (this.flagsRaw & PF) !== 0;
    return PARITY[this.fRes & 0xff] !== 0;
  }
  af(): boolean {
    if (this.fOp === FOp.None) return (this.flagsRaw & AF) !== 0;
    if (this.fOp === FOp.Logic) return false;
    return ((this.fA ^ this.fB ^ this.fRes) & 0x10) !== 0;
  }

  arithFlags(): number {
    if (this.fOp === FOp.None) return this.flagsRaw & (CF | PF | AF | ZF | SF | OF);
    return this.cf() | (this.pf() ? PF : 0) | (this.af() ? AF : 0) | (this.zf() ? ZF : 0) |
      (this.sf() ? SF : 0) | (this.of() ? OF : 0);
  }

  /** Evaluates condition code 0..15 (o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g). */
  cond(cc: number): boolean {
    let r: boolean;
    switch (cc >> 1) {
      case 0: r = this.of(); break;
      case 1: r = this.cf() !== 0; break;
      case 2: r = this.zf(); break;
      case 3: r = this.cf() !== 0 || this.zf(); break;
      case 4: r = this.sf(); break;
      case 5: r = this.pf(); break;
      case 6: r = this.sf() !== this.of(); break;
      default: r = this.zf() || this.sf() !== this.of();
    }
    return cc & 1 ? !r : r;
  }
}

export { PARITY };
