/** PCI addresses `bus:device.function` in hex, as the tool parses them (§A.7). */
import type { PciAddress } from './model';
import { parseHexI64 } from './numbers';

/** The address, or the tool's error text. */
export function parsePci(s: string): PciAddress | string {
  const colon = s.indexOf(':');
  if (colon < 0) return 'expected PCI address in bus:device.function form';
  const rest = s.slice(colon + 1);
  const dot = rest.indexOf('.');
  if (dot < 0) return 'expected PCI address in bus:device.function form';
  const field = (raw: string, what: string, max: number): number | string => {
    const p = parseHexI64(raw.trim());
    if (!p.ok) return `failed to parse PCI ${what}`;
    if (p.value < 0n || p.value > BigInt(max)) return `PCI ${what} must be within [0..${max}]`;
    return Number(p.value);
  };
  const bus = field(s.slice(0, colon), 'bus', 255);
  if (typeof bus === 'string') return bus;
  const device = field(rest.slice(0, dot), 'device', 31);
  if (typeof device === 'string') return device;
  const fn = field(rest.slice(dot + 1), 'function', 7);
  if (typeof fn === 'string') return fn;
  return { bus, device, function: fn };
}

/** `{:02x}:{:02x}.{:x}` */
export function formatPci(p: PciAddress): string {
  return `${p.bus.toString(16).padStart(2, '0')}:${p.device.toString(16).padStart(2, '0')}.${p.function.toString(16)}`;
}
