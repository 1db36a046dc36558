import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { isEvent, type Command } from '../../inbox/commands.js';
import type { Durability } from '../../events/durable.js';
import type { EventRecord } from '../../events/event-record.js';
import type { Counters } from '../../stats/counters.js';
import { PendingEvents } from '../pending.js';
import { isOwnReport } from '../../events/own-reports.js';
import type { ResolvedConfig } from '../../config/parse-options.js';

/** Estimated bytes of an event without `event_data` (ids, timestamp, names). */
export const BASE_EVENT_BYTES = 200;

/** What to do with a new ordinary event when the queue is full. */
export type OverflowPolicy = ResolvedConfig['overflow'];

/** The queue's bounds and policy as the options resolved them (`terminalReserve`: slots only terminal events may use), and the door's parts. */
export interface AdmitOptions extends Pick<ResolvedConfig, 'maxQueueSize' | 'maxQueueBytes' | 'terminalReserve' | 'overflow'> {
  readonly counters: Counters;
  /** Admitted events not cut yet (coalescing, drop-oldest). */
  readonly pending?: PendingEvents;
  /** `true` once `stop()` began: ordinary events are refused and counted as `stopped`. */
  readonly isStopping: () => boolean;
  /** The durable spool's hooks, when it is on. */
  readonly durability?: Durability | undefined;
}

const coalesceKeyOf = (record: EventRecord): string | undefined => {
  if (record.kind !== 'GENERIC_EVENT') return undefined;
  const key = (record.data as Record<string, unknown>)['coalesceKey'];
  // Scoped by name: two kinds of progress may use the same key.
  return typeof key === 'string' && key !== '' ? `${record.name as string}\u0000${key}` : undefined;
};

/**
 * The bounded queue's door. `maxQueueSize` bounds accepted-but-unsettled events (in flight
 * included) and `maxQueueBytes` their estimated size; ordinary events may fill the queue up to
 * the reserve, terminal events up to the bound, and the single SESSION_END always gets in, so a
 * flood of ordinary events can never cost the backend the end of the session or the fatal error
 * that ended it.
 *
 * Full, an ordinary event is refused (`queueFull`), or with `drop-oldest` takes the place of the
 * oldest ordinary event not yet cut into a batch (`evicted`). An event whose
 * `event_data.coalesceKey` and name match a queued, uncut one replaces that one's content in place
 * (`coalesced`): progress updates cost one slot, and only the latest is sent.
 *
 * An admitted event gets its `event_session_index` here, so accepted events are numbered
 * without gaps in the order they will be sent.
 */
export function admit(options: AdmitOptions): MonoTypeOperatorFunction<Command> {
  const { counters, isStopping, durability } = options;
  const pending = options.pending ?? new PendingEvents(options.overflow === 'drop-oldest');
  const ordinaryLimit = options.maxQueueSize - options.terminalReserve;
  const maxBytes = options.maxQueueBytes;
  const dropOldest = options.overflow === 'drop-oldest';
  let nextIndex = 0;

  // The byte bound is for ordinary events: terminal ones are few (the reserve bounds them), and a
  // flood of large ordinary events must not keep out the fatal error any more than a flood of many.
  const full = (record: EventRecord, limit: number): boolean =>
    counters.inMemory >= limit || (!record.terminal && counters.queuedBytes + record.bytes > maxBytes && counters.inMemory > 0);

  /** With the durable spool: the full queue (or the order of what waits on disk) sends an ordinary event to disk only. */
  const toDisk = (record: EventRecord): boolean | undefined => {
    if (durability === undefined || record.terminal || isOwnReport(record)) return undefined;
    record.index = nextIndex;
    const kept = durability.overflow(record);
    if (kept === 'unavailable') return undefined;
    if (kept === 'full') return counters.refuse(record, 'spoolFull');
    nextIndex++;
    record.admission = 'accepted';
    counters.onDisk++;
    counters.accept(0);
    return false;
  };

  return filter((command) => {
    if (!isEvent(command)) return true;
    const record = command;
    if (record.bytes === 0) record.bytes = BASE_EVENT_BYTES;
    const key = coalesceKeyOf(record);
    if (record.kind !== 'SESSION_END') {
      if (!record.terminal && isStopping()) return counters.refuse(record, 'stopped');
      if (key !== undefined && coalesce(record, key)) return false;
      const limit = record.terminal ? options.maxQueueSize : ordinaryLimit;
      if (durability?.overflowing === true && !record.terminal) {
        const kept = toDisk(record);
        if (kept !== undefined) return kept;
      }
      while (full(record, limit)) {
        if (!dropOldest) {
          const kept = toDisk(record);
          if (kept !== undefined) return kept;
        }
        // rxtel's own reports never push out the application's events: at a full queue they wait.
        const evicted = !record.terminal && dropOldest && !isOwnReport(record) ? pending.evictOldest() : undefined;
        if (evicted === undefined) return counters.refuse(record, 'queueFull');
        counters.evict(evicted.bytes, evicted);
        durability?.dropped(evicted);
      }
    }
    record.admission = 'accepted';
    record.index = nextIndex++;
    counters.accept(record.bytes);
    pending.add(record, key);
    durability?.admitted(record);
    return true;
  });

  /** Puts `record`'s content into the queued event with the same key; `false` when there is none. */
  function coalesce(record: EventRecord, key: string): boolean {
    const queued = pending.withKey(key);
    if (queued === undefined || queued.cut || queued.evicted) return false;
    queued.data = record.data;
    queued.severity = record.severity;
    queued.second = record.second;
    queued.micros = record.micros;
    counters.queuedBytes += record.bytes - queued.bytes;
    queued.bytes = record.bytes;
    record.admission = 'coalesced';
    counters.drop('coalesced');
    durability?.replaced(queued);
    return true;
  }
}
