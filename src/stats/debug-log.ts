import type { SchedulerLike } from 'rxjs';
import type { Logger } from '../config/options.js';
import { DROP_REASONS, type DropReason } from '../events/drop-reasons.js';
import type { EventRecord } from '../events/event-record.js';

/** Debug lines written per second at most; the rest are counted and told in one summary line. */
export const DEBUG_LINES_PER_SECOND = 20;
/** Longest event name a debug line quotes. */
const MAX_NAME = 64;

/** What one sink did with one batch (or one part of it), as {@link DebugLog.batch} tells it. */
export interface BatchFate {
  readonly sink: string;
  /** Events of the batch (part) sent to this sink. */
  readonly size: number;
  /** Export attempts made (1 when the first succeeded). */
  readonly attempts: number;
  readonly delivered: number;
  /** Refused for good by the backend (a partial answer, or a non-retryable failure). */
  readonly refused: number;
  /** Given up after the retries or the deadline ran out. */
  readonly gaveUp: number;
  /** The last error, if any (sinks build their errors from safe strings, never a secret). */
  readonly error?: string | undefined;
}

/** `GENERIC_EVENT \`user.action\``: the kind and, for a generic event, its name (cut, never its data). */
function describeRecord(record: EventRecord): string {
  if (record.kind !== 'GENERIC_EVENT') return record.kind;
  const name = record.name;
  if (typeof name !== 'string' || name === '') return 'a GENERIC_EVENT without a valid name';
  return `GENERIC_EVENT \`${name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name}\``;
}

/**
 * The diagnostic log of `debug: true` (or env `RXTEL_DEBUG=1`): each refusal with its reason and
 * each batch's fate per sink, through the user's logger (its `debug` method if it has one, else
 * `warn`), prefixed `debug:`. It limits itself to {@link DEBUG_LINES_PER_SECOND} lines a second on
 * the reporter's clock; what it holds back is told in one line at the end of that second, so a
 * refusal storm costs a bounded number of lines. Built only when the switch is on: off, the
 * pipeline pays one `undefined` check per refusal and per batch, none per accepted event.
 *
 * @example
 * ```ts
 * const debug = new DebugLog(logger, scheduler);
 * counters.onRefuse = (record, reason) => debug.refused(record, reason);
 * // debug: refused GENERIC_EVENT `user.action`: rateLimited (over the per-type rate limit)
 * ```
 */
export class DebugLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private written = 0;
  private suppressed = 0;
  private summaryDue = false;
  private readonly write: (message: string) => void;

  constructor(
    logger: Logger,
    private readonly scheduler: SchedulerLike,
    private readonly maxPerSecond = DEBUG_LINES_PER_SECOND,
  ) {
    this.write = (message) => (logger.debug === undefined ? logger.warn(`debug: ${message}`) : logger.debug(`debug: ${message}`));
  }

  /** An event was refused or dropped for `reason` (the drop-reason table's words). */
  refused(record: EventRecord, reason: DropReason): void {
    const verb = DROP_REASONS[reason].refusal ? 'refused' : 'dropped';
    this.line(`${verb} ${describeRecord(record)}: ${reason} (${DROP_REASONS[reason].text})`);
  }

  /** An attempt failed and will be retried after `delayMs`. */
  retrying(sink: string, size: number, attempt: number, delayMs: number, error: string): void {
    this.line(`sink ${sink}: batch of ${size}: attempt ${attempt} failed (${error}), retrying in ${Math.round(delayMs)} ms`);
  }

  /** A batch (part) is done with one sink: delivered, partially delivered, or failed. */
  batch(fate: BatchFate): void {
    const { sink, size, attempts, delivered, refused, gaveUp, error } = fate;
    const outcome = delivered === size ? 'delivered' : delivered === 0 ? 'failed' : 'partially delivered';
    const parts = [`${delivered} delivered`];
    if (refused > 0) parts.push(`${refused} refused by the backend`);
    if (gaveUp > 0) parts.push(`${gaveUp} given up`);
    const tail = delivered === size || error === undefined ? '' : `: ${error}`;
    this.line(`sink ${sink}: batch of ${size} ${outcome} after ${attempts} attempt(s) (${parts.join(', ')})${tail}`);
  }

  /** Writes `message` unless this second's lines are spent; then counts it for the summary. */
  line(message: string): void {
    const now = this.scheduler.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.written = 0;
    }
    if (this.written < this.maxPerSecond) {
      this.written++;
      this.write(message);
      return;
    }
    this.suppressed++;
    if (this.summaryDue) return;
    this.summaryDue = true;
    // On the reporter's scheduler (unref'd by default): virtual in tests, never keeps a process alive.
    this.scheduler.schedule(() => this.summary(), Math.max(0, this.windowStart + 1000 - now));
  }

  private summary(): void {
    this.summaryDue = false;
    const count = this.suppressed;
    this.suppressed = 0;
    if (count > 0) this.write(`… ${count} more debug line(s) suppressed (at most ${this.maxPerSecond} a second)`);
  }
}
