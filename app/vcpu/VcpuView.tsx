/** The VCPU of a VM at the current position: general registers, RIP, RFLAGS decoded, control registers and EFER
 * decoded, the VMCS by Intel's groups, values that changed since the previous position highlighted, disassembly
 * around RIP with guest-virtual → guest-physical, and a hex view of guest memory at any address. Clicking a
 * disassembly line toggles a guest-RIP breakpoint there. */
import { useEffect, useState } from 'react';
import type { RegisterRow, VcpuView as VcpuData } from '../../core/protocol';
import { guestRegionAt, guestRegions, hex, parseNumber, RunPosition, runStore, useRun } from '../run';
import { useProblems, useServices } from '../shell/hooks';
import { hexRows, memoryNote, parseGuestAddress, shortHex } from './model';
import './vcpu.css';

/** one empty list: a selector must return the same value while nothing changed, or React renders for ever */
const NO_VMS: string[] = [];

export function VcpuView() {
  const services = useServices();
  const revision = useRun((s) => s.revision);
  const vms = useRun((s) => s.view?.vms ?? NO_VMS);
  const breakpoints = useRun((s) => s.breakpoints);
  const [vm, setVm] = useState<string | undefined>(undefined);
  const [data, setData] = useState<VcpuData | null>(null);
  const [addrText, setAddrText] = useState('0x1000');
  /** bytes read and the address they were read at (a new address shows nothing until its bytes arrive) */
  const [memory, setMemory] = useState<{ gpa: number; bytes: (number | null)[] } | null>(null);
  const [openGroups, setOpenGroups] = useState<Set<string>>(new Set(['Guest-state area']));
  const parsed = parseGuestAddress(addrText);
  const addr = 'gpa' in parsed ? parsed.gpa : null;
  const loaded = useRun((s) => s.view?.loaded ?? false);
  const system = useProblems((s) => s.system);

  useEffect(() => {
    let live = true;
    void services.core.request('sim.vcpu', { vm }).then((d) => live && setData(d), () => {});
    return () => {
      live = false;
    };
  }, [services, revision, vm]);

  useEffect(() => {
    if (addr === null) return;
    let live = true;
    void services.core.request('sim.memory', { vm, gpa: addr, length: 128 }).then((bytes) => live && setMemory({ gpa: addr, bytes }), () => {});
    return () => {
      live = false;
    };
  }, [services, revision, vm, addr]);

  if (!data) {
    return (
      <div className="vcpu-view" data-testid="vcpu-view">
        <RunPosition />
        <div className="run-empty" style={{ padding: 10 }}>
          {loaded && vms.length === 0 ? 'This system has no virtual machine, so there is no VCPU to show.' : 'No VCPU yet: run a system with a virtual machine.'}
        </div>
      </div>
    );
  }
  const regions = guestRegions(system, data.vm);
  const shown = memory && memory.gpa === addr ? memory.bytes : null;
  const ripBps = new Set(breakpoints.flatMap((b) => (b.kind === 'guest-rip' ? [b.rip] : [])));
  return (
    <div className="vcpu-view" data-testid="vcpu-view">
      <RunPosition />
      <div className="vcpu-scroll">
        {vms.length > 1 && (
          <select aria-label="Virtual machine" value={vm ?? data.vm} onChange={(e) => setVm(e.target.value)}>
            {vms.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        )}
        <h3>{data.vm}: registers</h3>
        <div className="reg-grid" data-testid="vcpu-registers">
          {data.registers.map((r) => (
            <Reg key={r.name} r={r} />
          ))}
        </div>
        <h3>Control registers</h3>
        <div className="reg-grid control">
          {data.control.map((r) => (
            <Reg key={r.name} r={r} />
          ))}
        </div>
        <h3>Disassembly at RIP</h3>
        <table className="disasm" data-testid="vcpu-disasm">
          <tbody>
            {data.disassembly.map((d) => {
              const a = parseNumber(d.address)!;
              return (
                <tr
                  key={d.address}
                  className={d.current ? 'current' : ''}
                  title="Click to toggle a breakpoint at this guest RIP"
                  onClick={() => void runStore().getState().toggleBreakpoint({ kind: 'guest-rip', rip: a })}
                >
                  <td className="glyph">{ripBps.has(a) ? <span className="bp-dot" /> : d.current ? '▶' : ''}</td>
                  <td className="num">{d.address}</td>
                  <td className="num muted">{d.gpa ? `gpa ${d.gpa}` : 'unmapped'}</td>
                  <td className="num muted bytes" title={d.bytes}>{d.bytes}</td>
                  <td className="mono">{d.text}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <h3>VMCS</h3>
        {data.vmcs.map((g) => (
          <details key={g.group} open={openGroups.has(g.group)} onToggle={(e) => {
            const next = new Set(openGroups);
            if ((e.target as HTMLDetailsElement).open) next.add(g.group);
            else next.delete(g.group);
            setOpenGroups(next);
          }}>
            <summary>{g.group} ({g.fields.length})</summary>
            <div className="reg-grid wide">
              {g.fields.map((r) => (
                <Reg key={r.name} r={r} />
              ))}
            </div>
          </details>
        ))}
        <h3>Guest memory</h3>
        <label className="mem-addr">
          guest-physical <input value={addrText} onChange={(e) => setAddrText(e.target.value)} aria-label="Guest-physical address" />
          {'error' in parsed && <span className="mem-error" data-testid="vcpu-memory-error"> {parsed.error}</span>}
        </label>
        {addr !== null && shown && (
          <>
            <table className="hexdump" data-testid="vcpu-memory">
              <tbody>
                {hexRows(addr, shown).map((row) => (
                  <tr key={row.address}>
                    <td className="num muted">{row.address}</td>
                    <td className="num">{row.bytes.join(' ')}</td>
                    <td className="num muted">{row.ascii}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="mem-note" data-testid="vcpu-memory-note">
              {memoryNote(addr, shown, guestRegionAt(regions, addr), regions.map((r) => `${r.mr} ${hex(r.base)}–${hex(r.base + r.size)}`))}
            </div>
          </>
        )}
      </div>
    </div>
  );
}

function Reg({ r }: { r: RegisterRow }) {
  return (
    <div className={`reg${r.changed ? ' changed' : ''}`} title={`${r.name} = ${r.value}`} data-reg={r.name}>
      <span className="reg-name">{r.name}</span>
      <span className="reg-value">{shortHex(r.value)}</span>
      {r.bits.length > 0 && <span className="reg-bits">{r.bits.join(' ')}</span>}
    </div>
  );
}
