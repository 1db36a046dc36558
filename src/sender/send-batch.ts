import { defer, finalize, merge, Observable, tap } from 'rxjs';
import type { Counters, Settlement } from '../stats/counters.js';
import type { ResolvedConfig } from '../config/parse-options.js';
import { wireWithoutContent } from '../events/content.js';
import type { EventRecord } from '../events/event-record.js';
import { RecoveredRecord } from '../events/recovered-record.js';
import type { TelemetryEvent } from '../events/wire.js';
import { isOwnReport } from '../events/own-reports.js';
import type { Sink } from '../sinks/sink.js';
import { OrderedSettlement } from './ordered-settlement.js';
import { SinkHealth, type SinkHealthChange } from './sink-health.js';
import type { SinkSendOptions } from './send-to-sink.js';
import { SinkLane } from './sink-lane.js';

/**
 * What every sink's lane shares, as parsed: retries, deadlines, the clock; `maxInFlightBatches`
 * per sink; `maxQueueSize` (with several sinks each may hold half of it); `captureContent` (on,
 * sinks without `contentCapture: 'raw'` get content replaced by its size). Plus the sinks and the
 * reporter's parts.
 */
export interface SenderOptions
  extends Omit<SinkSendOptions, 'sink' | 'health'>,
    Pick<ResolvedConfig, 'logger' | 'maxInFlightBatches' | 'maxQueueSize' | 'captureContent'> {
  readonly sinks: readonly Sink[];
  readonly counters: Counters;
  /** A sink is done (delivered or gave up) with an event meant for it: the durable spool's hook. */
  readonly onSinkDone?: (record: EventRecord, sink: string) => void;
  /** Every sink state change. */
  readonly onSinkHealth?: (change: SinkHealthChange) => void;
}

/** The sender: `send(records)` plus what the reporter needs to know about its sinks. */
export interface Sender {
  (records: EventRecord[]): Observable<never>;
  /** Stops the sinks' lanes (after the last settlement). */
  close(): void;
}

/**
 * Builds the sender: `send(records)` exports one batch to every sink (fan-out, DESIGN §4–5) and
 * completes once every sink has settled every event of it. It never errors.
 *
 * Each sink has its own {@link SinkLane}: queue, concurrency, retry loop, health. An event counts
 * as delivered when every sink it was meant for delivered it, and as `sendFailed` otherwise;
 * `stats().sinks[name]` says which sink lost what. Batches may finish in any order across sinks;
 * their settlements still reach the counters in acceptance order ({@link OrderedSettlement}),
 * which is what `flush()`, `stop()` and the fatal path wait on.
 */
export function createSender(options: SenderOptions): Sender {
  const { sinks, counters, onSinkDone } = options;
  const order = new OrderedSettlement();
  const onChange = options.onSinkHealth ?? (() => undefined);
  const maxQueued = sinks.length > 1 ? Math.max(1, Math.floor(options.maxQueueSize / 2)) : undefined;
  const lanes = sinks.map((sink) => {
    const health = new SinkHealth(sink.name, counters, () => options.scheduler.now(), options.logger, onChange);
    return new SinkLane({ ...options, sink, health, maxInFlight: options.maxInFlightBatches, maxQueued });
  });
  const redactFor = new Set(options.captureContent ? sinks.filter((s) => s.contentCapture !== 'raw').map((s) => s.name) : []);

  const send = (records: EventRecord[]): Observable<never> =>
    defer(() => {
      const ticket = order.take();
      const evicted = records.some((record) => record.evicted) ? records.length : 0;
      if (evicted > 0) records = records.filter((record) => !record.evicted);
      const bytes = records.reduce((sum, record) => sum + record.bytes, 0);
      // Built once, by the first sink to start the batch: a batch waiting for every sink holds records only.
      let wires: TelemetryEvent[] | undefined;
      let redacted: TelemetryEvent[] | undefined;
      const raw = (): TelemetryEvent[] => (wires ??= records.map((record) => record.toWire()));
      const withoutContent = (): TelemetryEvent[] => (redacted ??= raw().map(wireWithoutContent));
      const sessionId = records[0] instanceof RecoveredRecord ? records[0].sessionId : undefined;
      const outcomes = lanes.map((lane) => forLane(lane, records, redactFor.has(lane.name) ? withoutContent : raw, sessionId, onSinkDone));
      return merge(...outcomes.map((o) => o.done$)).pipe(
        finalize(() => {
          const settlement = outcomeOf(records, outcomes, evicted === 0 ? 0 : evicted - records.length);
          counters.settle(settlement, bytes);
          const lost = settlement.failed + (settlement.partial ?? 0) > 0;
          order.settle(ticket, advanceLater(counters, records.length + (settlement.evicted ?? 0), lost));
          order.done(ticket);
        }),
      );
    });

  return Object.assign(send, { close: () => lanes.forEach((lane) => lane.close()) });
}

/** Built outside the batch's scope, so a settlement waiting for its turn keeps two numbers, not the batch. */
function advanceLater(counters: Counters, count: number, lost: boolean): () => void {
  return () => counters.advance(count, lost);
}

/** Where each event landed: with every sink meant for it, with some, or with none. */
function outcomeOf(records: readonly EventRecord[], outcomes: readonly LaneOutcome[], evicted: number): Settlement {
  let delivered = 0;
  let partial = 0;
  let ownFailed = 0;
  let ownPartial = 0;
  for (let i = 0; i < records.length; i++) {
    let meant = 0;
    let got = 0;
    for (const outcome of outcomes) {
      if (!outcome.meant(i)) continue;
      meant++;
      got += outcome.delivered[i]!;
    }
    if (got === meant) {
      delivered++;
      continue;
    }
    const own = isOwnReport(records[i]!);
    if (got > 0) {
      partial++;
      if (own) ownPartial++;
    } else if (own) {
      ownFailed++;
    }
  }
  return { delivered, partial, failed: records.length - delivered - partial, evicted, ownFailed, ownPartial };
}

interface LaneOutcome {
  /** 1 where this sink delivered the event (or the event was not for it). */
  readonly delivered: Uint8Array;
  /** Whether the event at this position was meant for this sink. */
  readonly meant: (position: number) => boolean;
  readonly done$: Observable<never>;
}

/** One sink's share of a batch: the events meant for it (not its own health events), and where each landed. */
function forLane(
  lane: SinkLane,
  records: readonly EventRecord[],
  wires: () => readonly TelemetryEvent[],
  sessionId: string | undefined,
  onSinkDone: ((record: EventRecord, sink: string) => void) | undefined,
): LaneOutcome {
  const delivered = new Uint8Array(records.length);
  // The sink is done with every event meant for it (delivered or given up): the durable spool's cursor moves.
  const told = onSinkDone === undefined ? undefined : tap<never>({ complete: () => records.forEach((r) => r.excludeSink !== lane.name && onSinkDone(r, lane.name)) });
  if (!records.some((r) => r.excludeSink === lane.name)) {
    const done$ = lane.submit(records.length, wires, delivered, sessionId);
    return { delivered, meant: everyPosition, done$: told === undefined ? done$ : done$.pipe(told) };
  }
  const positions: number[] = [];
  records.forEach((record, i) => (record.excludeSink === lane.name ? (delivered[i] = 1) : positions.push(i)));
  const own = new Uint8Array(positions.length);
  const part$ = lane.submit(positions.length, () => { const all = wires(); return positions.map((i) => all[i]!); }, own, sessionId).pipe(
    tap({ complete: () => positions.forEach((i, k) => (delivered[i] = own[k]!)) }),
  );
  const done$ = told === undefined ? part$ : part$.pipe(told);
  return { delivered, meant: (i) => records[i]!.excludeSink !== lane.name, done$ };
}

const everyPosition = (): boolean => true;
