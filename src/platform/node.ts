/**
 * Everything that touches Node's clock, timers and process lives here, so that the rest of
 * `src/` takes time from an injected RxJS scheduler and runs in virtual time under test.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { arch, execPath, platform, pid, version } from 'node:process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

/**
 * Wakes an event loop that is blocked in poll, without keeping the process alive.
 *
 * An unref'd immediate runs only when the loop next passes its check phase; a loop blocked in poll
 * (on an application's ref'd timer, an idle server, a caller's hold) does not get there until
 * something else happens: seconds late in a script, never in an idle server. Libuv's poll timeout
 * does count unref'd timers, so one shared unref'd 1 ms timer stays armed while any immediate of
 * ours waits to run. It re-arms itself when it fires before they ran (it may fire in the timers
 * phase just before the poll it was meant to cut short). A loop with nothing ref'd still exits at
 * once: the waker is unref'd too (decision 0014).
 */
let waker: NodeJS.Timeout | undefined;
let wakerArmed = false;
let waitingImmediates = 0;
function armWaker(): void {
  if (wakerArmed) return;
  wakerArmed = true;
  // refresh() re-arms the same timer, also after it fired: no allocation per wake.
  if (waker === undefined) waker = setTimeout(onWake, 1).unref();
  else waker.refresh();
}
function onWake(): void {
  wakerArmed = false;
  if (waitingImmediates > 0) armWaker();
}

class UnrefAction<T> extends Subscription implements SchedulerAction<T> {
  private handle: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private state: T | undefined;

  constructor(private readonly work: (this: SchedulerAction<T>, state?: T) => void) {
    super();
    this.add(() => this.clear());
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.clear();
    const run = () => {
      if (this.immediate !== undefined) waitingImmediates--;
      this.handle = undefined;
      this.immediate = undefined;
      this.work.call(this, this.state);
      // A one-shot action is done unless `work` re-armed it (as `interval` does).
      if (this.handle === undefined && this.immediate === undefined) this.unsubscribe();
    };
    // Telemetry must never be the reason a process stays alive: every handle is unref'd.
    // "As soon as possible" is the next turn of the loop, not setTimeout's 1 ms minimum; the waker
    // makes sure that turn comes even when the loop would otherwise block in poll.
    if (delay > 0) this.handle = setTimeout(run, delay).unref();
    else {
      this.immediate = setImmediate(run).unref();
      waitingImmediates++;
      armWaker();
    }
    return this;
  }

  private clear(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      waitingImmediates--;
    }
    this.handle = undefined;
    this.immediate = undefined;
  }
}

/**
 * The default scheduler: like RxJS's `asyncScheduler`, but every timer is `unref()`'d and `now()`
 * has sub-millisecond precision (wall clock anchored once, advanced by the monotonic clock).
 */
export const nodeScheduler: SchedulerLike = {
  now: () => performance.timeOrigin + performance.now(),
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return new UnrefAction<T>(work).schedule(state, delay);
  },
};

/** How long a hold may outlive its wait's deadline: the abandon turns and the sinks' shutdown fit well inside. */
const HOLD_MARGIN_MS = 1000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Keeps the process alive while a caller explicitly waits (flush, stop, fatal flush,
 * waitUntilDrained): the one place where telemetry may hold the process open. The caller releases
 * it the moment its wait ends, so it lasts exactly as long as the wait; `ms` (the wait's deadline)
 * plus a margin only bounds a bug. The margin matters: the wait's own deadline is an unref'd timer,
 * and a hold that ran out first would let the process exit with the wait still pending.
 * Returns the release function.
 */
export function holdProcessOpen(ms: number): () => void {
  // Node fires a longer timer after 1 ms (with a warning); a wait that long is held for 24 days.
  const handle = setTimeout(() => undefined, Math.min(Math.max(0, ms) + HOLD_MARGIN_MS, MAX_TIMER_MS));
  return () => clearTimeout(handle);
}

/** One UUID per process, as the Tinker wire's `process_uuid`. */
export const processUuid: string = randomUUID();

/** `linux/x64` and the like. */
export const platformName = `${platform}/${arch}`;

export const nodeVersion = version.replace(/^v/, '');
export const processId = pid;
/** The process executable's name (`node`), as OpenTelemetry's `process.executable.name`. */
export const executableName = basename(execPath);

/** The environment, read in one place. */
export function readEnv(name: string): string | undefined {
  return process.env[name];
}

/**
 * Resolves after `ms`; rejects with an `AbortError` when `signal` aborts. For the receiver and the
 * process handlers, which run outside the reporter's scheduler; `unref` lets a pending delay not
 * hold the process. Node's own `timers/promises` delay, with a negative `ms` counted as 0.
 */
export function delay(ms: number, options: { signal?: AbortSignal; unref?: boolean } = {}): Promise<void> {
  return sleep(Math.max(0, ms), undefined, { signal: options.signal, ref: options.unref !== true });
}

const atExit = new Set<() => void>();

/**
 * Runs `work` when the process ends by itself (Node's `exit` event: synchronous work only), until
 * the returned function removes it. One listener for all, so that many reporters add one each
 * without tripping Node's listener warning. `work` must not throw; if it does, the others still run.
 */
export function onProcessExit(work: () => void): () => void {
  if (atExit.size === 0) process.once('exit', runAtExit);
  atExit.add(work);
  return () => {
    atExit.delete(work);
    if (atExit.size === 0) process.off('exit', runAtExit);
  };
}

function runAtExit(): void {
  for (const work of atExit) {
    try {
      work();
    } catch {
      // Exiting: nothing left to tell.
    }
  }
  atExit.clear();
}
