/**
 * Every reason rxtel counts an event as not delivered, declared once. What each one is — refused
 * at the door (the `admission` verdict `log()` reads) and whether it is a loss the
 * `telemetry.health` report tells the backend about — derives from this table: a new reason is
 * one line here, and the counters, the refusal type, the health report and the debug log's words
 * (`text`) follow.
 */
export const DROP_REASONS = {
  /** Refused: the queue was full. */
  queueFull: { refusal: true, loss: true, text: 'the queue was full' },
  /** Refused by the per-type rate limit. */
  rateLimited: { refusal: true, loss: true, text: 'over the per-type rate limit' },
  /** Refused by sampling. */
  sampled: { refusal: true, loss: true, text: 'sampled out' },
  /** Refused: not a valid event (no name, …), or `beforeSend` threw on it. */
  invalid: { refusal: true, loss: true, text: 'not a valid event (no name, a refused track() event, or beforeSend threw)' },
  /** Refused: `beforeSend` returned `null`. */
  filtered: { refusal: true, loss: true, text: 'beforeSend returned null' },
  /** Refused: logged after `stop()`. */
  stopped: { refusal: true, loss: true, text: 'logged after stop()' },
  /** Refused: the in-memory queue was full and so was the durable spool (its `maxBytes`). */
  spoolFull: { refusal: true, loss: true, text: 'the queue and the durable spool were full' },
  /** Accepted, then pushed out of the full queue by a newer event (`overflow: 'drop-oldest'`). */
  evicted: { refusal: false, loss: true, text: 'pushed out of the full queue by a newer event' },
  /** Superseded while queued by a newer event with the same `event_data.coalesceKey` (the newer one is sent in its place): not a loss. */
  coalesced: { refusal: false, loss: false, text: 'superseded by a newer event with the same coalesceKey' },
  /** Accepted, then given up by every sink meant for it: refused, or failing until the retries or the deadline ran out. */
  sendFailed: { refusal: false, loss: true, text: 'given up by every sink meant for it' },
  /** Accepted, then lost because the reporter's own pipeline failed (a bug, or a user function that broke it): settled at once so no wait hangs. */
  internal: { refusal: false, loss: true, text: 'the reporter\'s pipeline failed' },
  /** Ignored by `attach()`: a bus event without `metadata.session_id`, or with another session's. Not a loss: it was not this session's. */
  unattributed: { refusal: false, loss: false, text: 'a bus event of no or another session' },
  /** Found on disk by the durable spool's recovery but unreadable (a torn or corrupt record): cut and counted. Never accepted by this reporter, so outside the invariant. */
  spoolCorrupt: { refusal: false, loss: true, text: 'an unreadable record in the durable spool' },
} as const satisfies Record<string, { readonly refusal: boolean; readonly loss: boolean; readonly text: string }>;

type Table = typeof DROP_REASONS;

/** Why an event did not reach the backend. */
export type DropReason = keyof Table;

/** Why an event was refused before it was accepted: its `admission` verdict and its drop counter at once. */
export type Refusal = { [K in DropReason]: Table[K]['refusal'] extends true ? K : never }[DropReason];

/** The drops that are losses, reported in `telemetry.health`. */
export type LossReason = { [K in DropReason]: Table[K]['loss'] extends true ? K : never }[DropReason];

/** A count per reason. */
export type DropCounts = Record<DropReason, number>;

const reasons = Object.keys(DROP_REASONS) as DropReason[];

/** The reasons that are losses, in table order. */
export const LOSS_REASONS: readonly LossReason[] = reasons.filter((r): r is LossReason => DROP_REASONS[r].loss);

/** Every reason at 0. */
export function zeroDropCounts(): DropCounts {
  return Object.fromEntries(reasons.map((reason) => [reason, 0])) as DropCounts;
}
