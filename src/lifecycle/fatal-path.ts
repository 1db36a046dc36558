import type { EventRecord } from '../events/event-record.js';
import type { ShutdownState } from '../sender/shutdown-state.js';
import type { Counters } from '../stats/counters.js';
import type { Waits } from './waits.js';

/** What the fatal path works with. */
export interface FatalParts {
  readonly counters: Counters;
  readonly shutdown: ShutdownState;
  readonly waits: Waits;
  readonly now: () => number;
  /** Its deadline: `flushTimeoutMs`. */
  readonly timeoutMs: number;
  /** Offers an event: `true` when accepted. */
  readonly offer: (make: () => EventRecord) => boolean;
  /** Offers SESSION_END (once per session). */
  readonly endSession: () => void;
  /** The durable spool, when it is on: what waits to be written goes to disk before the process may die. */
  readonly durable?: { flushSync(): void } | undefined;
}

/**
 * The fatal path (`logFatalException`, uncaught errors): the exception — terminal, so it may use
 * the queue's reserve — then SESSION_END, flushed at once and waited for within the deadline, which
 * also bounds the sender's retries meanwhile. `true` when the exception was accepted and everything
 * was delivered in time. Never rejects.
 */
export async function runFatalPath(parts: FatalParts, exception: () => EventRecord): Promise<boolean> {
  const { counters, waits, timeoutMs } = parts;
  const from = counters.settledInOrder;
  const release = parts.shutdown.addDeadline(parts.now() + timeoutMs);
  try {
    const accepted = parts.offer(exception);
    parts.endSession();
    parts.durable?.flushSync();
    const result = await waits.flushAndWait(counters.accepted, timeoutMs, from);
    return accepted && result.reached && result.delivered;
  } catch {
    return false;
  } finally {
    release();
  }
}
