import type { SchedulerLike } from 'rxjs';
import type { ShutdownState } from '../sender/shutdown-state.js';
import type { Sink } from '../sinks/sink.js';
import type { Counters } from '../stats/counters.js';
import { shutdownSinks } from './shutdown-sinks.js';
import type { StopDeadline } from './stop-callers.js';
import type { Waits } from './waits.js';

/** Abandoned batches settle on the next turns of the loop; this only bounds a bug. */
const ABANDON_SETTLE_MS = 100;
/**
 * Kept back before the stop deadline (at most a tenth of the stop's time) for the last
 * `telemetry.health`, with what the deadline made the reporter give up.
 */
const FINAL_REPORT_RESERVE_MS = 250;

/** What the stop sequence works with. */
export interface StopParts {
  readonly counters: Counters;
  readonly shutdown: ShutdownState;
  readonly waits: Waits;
  readonly sinks: readonly Sink[];
  readonly scheduler: SchedulerLike;
  /** The health monitor's report of what was lost since its last one. */
  readonly report: () => void;
  /** Offers SESSION_END (once per session). */
  readonly endSession: () => void;
  /** Stops taking events, detaches streams, completes the views, stops the sinks' lanes. */
  readonly close: () => void;
  /** The durable spool, when it is on: what the deadline abandons stays in it for the next reporter. */
  readonly durable?: { flushSync(): void; close(): Promise<void> } | undefined;
}

/**
 * The stop sequence, run once for all callers of `stop()` (see `StopCallers`): report the losses
 * so far, refuse ordinary events from now on, SESSION_END, flush and wait. If the deadline comes
 * first: give up what is left, tell the backend about it in the time kept back, give up what is
 * still out at the deadline itself. Then close and shut the sinks down within what is left.
 * Resolves `true` when everything was delivered in time.
 */
export async function runStopSequence(parts: StopParts, deadline: StopDeadline): Promise<boolean> {
  const { counters, shutdown, waits, scheduler } = parts;
  const from = counters.settledInOrder;
  const startedAt = scheduler.now();
  const all = () => counters.accepted;
  const abandonAll = async (): Promise<void> => {
    shutdown.abandon();
    // Before the process may die (a SIGTERM stop ends in a kill): what was accepted is on disk.
    parts.durable?.flushSync();
    await waits.flushAndWait(all, ABANDON_SETTLE_MS);
  };
  try {
    parts.report();
    shutdown.stopping = true;
    parts.endSession();
    // The last moments before the deadline are kept for one more report, should anything be given up.
    const reserve = (atMs: number) => Math.min(FINAL_REPORT_RESERVE_MS, Math.max(0, (atMs - startedAt) / 10));
    const result = await waits.flushAndWait(all, undefined, from, deadline.before(reserve));
    if (!result.reached) {
      // Whatever is left is aborted and counted as sendFailed, within a turn or two…
      await abandonAll();
      // …and the backend hears of it: a last telemetry.health with those losses, which sinks still
      // working take in the time kept back; at the deadline itself, what is left of it is given up too.
      shutdown.resume();
      parts.report();
      const last = await waits.flushAndWait(all, undefined, counters.settledInOrder, deadline.passed$);
      if (!last.reached) await abandonAll();
    }
    parts.close();
    await shutdownSinks(parts.sinks, Math.max(0, deadline.latestMs - scheduler.now()), scheduler);
    await parts.durable?.close();
    return result.reached && result.delivered;
  } catch {
    parts.close();
    await parts.durable?.close().catch(() => undefined);
    return false;
  }
}
