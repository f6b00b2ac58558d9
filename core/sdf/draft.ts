/** Intermediate state shared by the element parsers and the cross-element checks. */
import type { DomainSchedule, ProtectionDomain } from './model';
import type { XmlElement } from './xml';

export interface PdDraft {
  el: XmlElement;
  pd: ProtectionDomain;
  children: PdDraft[];
  /** some error inside this PD's own element (its attributes or children) */
  broken: boolean;
}

export interface DomainsState {
  /** 'broken' when the <domains> element had an error: PD domain checks are then skipped */
  status: 'none' | 'ok' | 'broken';
  nameToId: Map<string, number>;
  schedule: DomainSchedule | null;
}

export function noDomains(): DomainsState {
  return { status: 'none', nameToId: new Map(), schedule: null };
}
