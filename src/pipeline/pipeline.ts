import { identity, mergeMap, subscribeOn, tap, type MonoTypeOperatorFunction, type Observable, type SchedulerLike } from 'rxjs';
import { admit, type OverflowPolicy } from './operators/admit.js';
import { PendingEvents } from './pending.js';
import { batchEvents } from '../batcher/batch.js';
import type { Counters } from '../stats/counters.js';
import type { SuppressedNames } from '../stats/suppressed.js';
import type { Logger } from '../config/options.js';
import { isEvent, type Command, type Inbox } from '../inbox/commands.js';
import type { EventRecord } from '../events/event-record.js';
import { applyBeforeSend, type BeforeSend } from './operators/before-send.js';
import { rateLimitPerType } from './operators/rate-limit.js';
import { DEFAULT_REDACT_KEYS, redactEvents } from './operators/redact.js';
import { sampleEvents } from './operators/sample.js';
import { sanitizeEvents } from './operators/sanitize.js';
import { validateEvents } from './operators/validate.js';

export interface PipelineOptions {
  readonly counters: Counters;
  readonly scheduler: SchedulerLike;
  readonly maxStringLength: number;
  readonly maxQueueSize: number;
  readonly maxBatchSize: number;
  readonly flushThreshold: number;
  readonly flushIntervalMs: number;
  readonly maxInFlightBatches: number;
  readonly rateLimitPerTypePerSecond: number;
  readonly rateLimits?: Readonly<Record<string, number>> | undefined;
  readonly sampleRate: number;
  readonly sampleRates?: Readonly<Record<string, number>> | undefined;
  readonly random: () => number;
  readonly redactKeys?: readonly (string | RegExp)[] | undefined;
  readonly maxEventBytes: number;
  readonly captureContent: boolean;
  readonly maxQueueBytes: number;
  readonly terminalReserve: number;
  readonly overflow: OverflowPolicy;
  readonly beforeSend?: BeforeSend | undefined;
  readonly logger?: Logger;
  /** Where the rate limit counts what it refused per name. */
  readonly suppressed?: SuppressedNames;
  /** Sees every accepted event (the replay of `events$`). */
  readonly onAccepted?: (record: EventRecord) => void;
  readonly isStopping: () => boolean;
  /** Exports one batch; completes when all its events have settled. */
  readonly send: (records: EventRecord[]) => Observable<never>;
}

/**
 * The data's way through the actor (DESIGN §4), as one RxJS pipeline from the inbox:
 * validate → sanitise → rate limit per type → sample → redact and bound → beforeSend → the
 * bounded queue's door → batcher → sender (fan-out: each sink exports at most
 * `maxInFlightBatches` at once, in order).
 *
 * Everything up to the door runs synchronously inside `inbox.next()`, which is how `log()` learns
 * whether its event was accepted without awaiting anything.
 */
export function buildPipeline(inbox: Inbox, options: PipelineOptions): Observable<never> {
  const { counters, onAccepted } = options;
  const pending = new PendingEvents(options.overflow === 'drop-oldest');
  // Two pipes: RxJS types at most nine operators in one.
  const admitted = inbox.pipe(
    validateEvents(counters),
    sanitizeEvents(counters, options),
    rateLimitPerType({
      perSecond: options.rateLimitPerTypePerSecond,
      overrides: options.rateLimits,
      scheduler: options.scheduler,
      counters,
      logger: options.logger,
      suppressed: options.suppressed,
    }),
    sampleEvents({ sampleRate: options.sampleRate, sampleRates: options.sampleRates, random: options.random, counters }),
    redactEvents({ redactKeys: options.redactKeys ?? DEFAULT_REDACT_KEYS, maxEventBytes: options.maxEventBytes, counters, captureContent: options.captureContent }),
    applyBeforeSend(options.beforeSend, counters, options),
    admit({ ...options, pending }),
    onAccepted === undefined ? (identity as MonoTypeOperatorFunction<Command>) : tap((command) => isEvent(command) && onAccepted(command)),
  );
  return admitted.pipe(
    batchEvents({ ...options, pending }),
    // Sending starts on the next turn: the log() call that completes a batch pays for the cut only.
    // Each sink bounds its own concurrency; here every batch goes on at once, so a slow sink cannot hold the others' batches back.
    mergeMap((batch) => options.send(batch).pipe(subscribeOn(options.scheduler))),
  );
}
