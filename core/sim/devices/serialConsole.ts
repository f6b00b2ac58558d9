/** A 16550 UART on the board's port-I/O bus (core/vmm's model) whose transmitted bytes are the board's serial
 * console: each byte becomes a `device-output` trace event for the device. */
import type { ProtectionDomain } from '../../sdf';
import { Serial16550 } from '../../vmm';
import type { DeviceEvent } from '../trace';
import type { SerialPlacement } from './table';

/** "COM1 (serial PD's ioport 0x3f8)": the device, and which PD's <ioport> covers it (if any). */
export function serialSource(at: SerialPlacement, pds: readonly ProtectionDomain[]): string {
  const p = BigInt(at.port);
  for (const pd of pds) {
    const io = pd.ioports.find((r) => p >= r.addr && p < r.addr + r.size);
    if (io) return `${at.name} (${pd.name} PD's ioport 0x${io.addr.toString(16)})`;
  }
  return at.name;
}

export function serialConsole(at: SerialPlacement, source: string, emit: (e: DeviceEvent) => void): Serial16550 {
  return new Serial16550((byte) => emit({ kind: 'device-output', device: at.name, source, text: String.fromCharCode(byte) }), at.port);
}
