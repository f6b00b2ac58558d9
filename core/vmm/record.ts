/** What the VMM reports about its exits: counts by reason, the last exits (a fixed ring, no allocation per exit), and
 * with tracing on, one record per exit with the decoded qualification and the handler's outcome. */
import { EXIT_REASONS, QUALIFICATION_LAYOUTS } from '../x86';

export interface VmExitRecord {
  /** exit number, from 1 */
  seq: number;
  reason: number;
  name: string;
  qualification: number;
  /** the qualification's fields by name (I/O, CR access, MOV DR, EPT violation), else empty */
  decoded: Record<string, number>;
  guestPhysical: number;
  rip: number;
  outcome: string;
}

export function exitName(reason: number): string {
  return EXIT_REASONS[reason & 0xffff] ?? `reason ${reason & 0xffff}`;
}

export function decodeQualification(reason: number, q: number): Record<string, number> {
  const layout = QUALIFICATION_LAYOUTS[reason & 0xffff];
  const out: Record<string, number> = {};
  if (!layout) return out;
  for (const [name, lo, width] of layout) out[name] = Math.floor(q / 2 ** lo) % 2 ** width;
  return out;
}

export const LAST_EXITS = 16;
const FIELDS = 5;

/** Ring of the last LAST_EXITS exits: reason, qualification, GPA, RIP, outcome code. */
export class ExitRing {
  private readonly data = new Float64Array(LAST_EXITS * FIELDS);
  private next = 0;
  private count = 0;

  push(reason: number, qual: number, gpa: number, rip: number, outcome: number): void {
    const o = this.next * FIELDS;
    const d = this.data;
    d[o] = reason;
    d[o + 1] = qual;
    d[o + 2] = gpa;
    d[o + 3] = rip;
    d[o + 4] = outcome;
    this.next = (this.next + 1) % LAST_EXITS;
    if (this.count < LAST_EXITS) this.count++;
  }

  /** Set the outcome of the newest entry. */
  setOutcome(outcome: number): void {
    this.data[((this.next + LAST_EXITS - 1) % LAST_EXITS) * FIELDS + 4] = outcome;
  }

  list(): { reason: number; name: string; qualification: number; guestPhysical: number; rip: number; outcome: string }[] {
    const out = [];
    for (let i = this.count; i > 0; i--) {
      const o = ((this.next - i + LAST_EXITS) % LAST_EXITS) * FIELDS;
      const d = this.data;
      out.push({ reason: d[o], name: exitName(d[o]), qualification: d[o + 1], guestPhysical: d[o + 2], rip: d[o + 3], outcome: OUTCOME_TEXT[d[o + 4]] ?? 'resumed' });
    }
    return out;
  }
}

/** Outcome codes kept in the ring. */
export const OUTCOME = { RESUMED: 0, INJECTED_GP: 1, STOPPED: 2, DELIVERED: 3, WAITING: 4 } as const;
const OUTCOME_TEXT = ['resumed', 'injected #GP(0)', 'VCPU stopped', 'delivered to the VMM', 'VCPU waits for an interrupt'];
