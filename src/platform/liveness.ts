/**
 * The operating-system probes and real-time timers of the spool (src/spool/): who this process is,
 * whether another process is still alive, and how old a file's mtime is. They live here because
 * they read the machine, not the pipeline's clock: a heartbeat is compared with the file system's
 * wall clock, and a disk's slowness is measured in real time, which virtual time under a
 * `TestScheduler` says nothing about.
 */
import { readFileSync, utimes } from 'node:fs';
import { hostname as osHostname } from 'node:os';

/**
 * What identifies a running process beyond its pid: on Linux the boot id and the process's start
 * time in clock ticks since boot (`/proc/<pid>/stat` field 22), which tell a restarted machine and a
 * reused pid apart. Elsewhere both are `undefined`.
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly hostname: string;
  readonly bootId: string | undefined;
  readonly startTick: string | undefined;
}

let cachedBootId: string | undefined | null = null;

/** This machine's boot id (`/proc/sys/kernel/random/boot_id`), or `undefined` where there is none. */
export function bootId(): string | undefined {
  if (cachedBootId === null) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      cachedBootId = undefined;
    }
  }
  return cachedBootId;
}

/**
 * The start time of process `pid` in clock ticks since boot, as a decimal string, or `undefined`
 * (no procfs, or no such process). Field 22 of `/proc/<pid>/stat`, counted after the command name,
 * which is in parentheses and may itself hold spaces and parentheses.
 */
export function processStartTick(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] || undefined;
  } catch {
    return undefined;
  }
}

/** The identity of this process. */
export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, hostname: osHostname(), bootId: bootId(), startTick: processStartTick(process.pid) };
}

/**
 * Whether process `pid` exists on this machine: `kill(pid, 0)` sends nothing and only checks.
 * `ESRCH` → `'gone'`; success or `EPERM` (someone else's process) → `'alive'`; anything else →
 * `'unknown'`.
 */
export function probePid(pid: number): 'alive' | 'gone' | 'unknown' {
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'unknown';
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'gone';
    if (code === 'EPERM') return 'alive';
    return 'unknown';
  }
}

/** How long ago, by the wall clock, a file time (`stat().mtimeMs`) was. */
export function wallClockAgeMs(fileTimeMs: number): number {
  return Date.now() - fileTimeMs;
}

/** Sets a file's atime and mtime to now; `done` gets the error code, or `undefined`. Never throws. */
export function touch(path: string, done: (code: string | undefined) => void): void {
  const now = Date.now() / 1000;
  try {
    utimes(path, now, now, (error) => done(error ? (error.code ?? 'EIO') : undefined));
  } catch (error) {
    done((error as NodeJS.ErrnoException).code ?? 'EIO');
  }
}

/**
 * Calls `tick` every `ms` of real time on an unref'd interval (it never keeps the process alive)
 * until the returned function is called. For liveness signals read by other processes.
 */
export function everyRealMs(ms: number, tick: () => void): () => void {
  const handle = setInterval(tick, ms).unref();
  return () => clearInterval(handle);
}

/**
 * Calls `expired` once after `ms` of real time (unref'd) unless the returned function is called
 * first. A watchdog over a disk operation: whether a disk is too slow is a question of real time.
 */
export function afterRealMs(ms: number, expired: () => void): () => void {
  const handle = setTimeout(expired, ms).unref();
  return () => clearTimeout(handle);
}
