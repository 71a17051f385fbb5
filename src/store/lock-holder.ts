import fs from 'node:fs';
import { lazyBuiltin } from '../core/builtin.js';
import { isCode } from '../core/file-errors.js';

/**
 * Who holds a lock, recorded in the lock folder (`holder`) before the folder appears: the
 * process id, and where that id means something. A waiter on the same machine then asks the
 * system whether the holder still runs instead of trusting the holder's heartbeat, which a
 * loaded or stopped process can miss however long the stale time. No secret: ids and a host name.
 */
interface HolderRecord {
  pid: number;
  host: string;
  /** Where `pid` names this process: boot id and pid namespace on Linux, the host name elsewhere; null when unknown. */
  machine: string | null;
  /** Linux: the process's start time in clock ticks after boot, so that a reused pid is not taken for the holder. */
  started: string | null;
}

/** A record is one short line of JSON. */
export const MAX_HOLDER_RECORD_BYTES = 1024;

export function holderRecord(): string {
  const record: HolderRecord = {
    pid: process.pid,
    host: lazyBuiltin('node:os').hostname(),
    machine: thisMachine(),
    started: startTicks('self') ?? null,
  };
  return `${JSON.stringify(record)}\n`;
}

/**
 * Whether the holder a record names has ended: true or false when it ran on this machine, undefined
 * when it ran elsewhere (or the record is not one), where only the lock's heartbeat can tell.
 */
export function holderHasEnded(text: string): boolean | undefined {
  let record: Partial<HolderRecord>;
  try {
    record = JSON.parse(text) as Partial<HolderRecord>;
  } catch {
    return undefined;
  }
  const here = thisMachine();
  if (here === null || record.machine !== here || !Number.isSafeInteger(record.pid) || (record.pid as number) <= 0) return undefined;
  return !isRunning(record.pid as number, typeof record.started === 'string' ? record.started : undefined);
}

/** Whether a process of this machine runs (EPERM: another user's, which runs). */
export function isLiveProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, 'ESRCH');
  }
}

function isRunning(pid: number, started: string | undefined): boolean {
  if (started !== undefined && process.platform === 'linux') {
    try {
      const now = procStat(String(pid));
      // A zombie (killed, not yet reaped) holds nothing; a process started since has reused the pid.
      return now !== undefined && now.state !== 'Z' && now.state !== 'X' && now.started === started;
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ESRCH')) return false;
    }
  }
  return isLiveProcess(pid);
}

let machine: string | null | undefined;

function thisMachine(): string | null {
  machine ??= process.platform === 'linux' ? linuxMachine() : `host ${lazyBuiltin('node:os').hostname()}`;
  return machine;
}

/** A pid means one process within one boot and one pid namespace (containers on one kernel share the boot id). */
function linuxMachine(): string | null {
  try {
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `boot ${boot} ${fs.readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return null;
  }
}

function startTicks(pid: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return procStat(pid)?.started;
  } catch {
    return undefined;
  }
}

/** State and start time from /proc/PID/stat; the command name, in parentheses, may hold anything, so fields count from the last ')'. */
function procStat(pid: string): { state: string; started: string } | undefined {
  const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 3 (state) and 22 (starttime) of proc(5), counted from the state.
  const state = fields[0];
  const started = fields[19];
  return state === undefined || started === undefined ? undefined : { state, started };
}
