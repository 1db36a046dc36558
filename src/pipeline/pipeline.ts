import { identity, tap, type MonoTypeOperatorFunction, type Observable, type SchedulerLike } from 'rxjs';
import { admit, type OverflowPolicy } from './operators/admit.js';
import { PendingEvents } from './pending.js';
import type { Counters } from '../stats/counters.js';
import type { SuppressedNames } from '../stats/suppressed.js';
import type { Logger } from '../config/options.js';
import { isEvent, type Command, type Inbox } from '../inbox/commands.js';
import type { EventRecord } from '../events/event-record.js';
import type { BeforeSend } from '../events/wire.js';
import { applyBeforeSend } from './operators/before-send.js';
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
}

/** What the pipeline hands on: the admitted events (and flush commands), and the queue's uncut part. */
export interface Admitted {
  readonly admitted$: Observable<Command>;
  /** Admitted events not cut into a batch yet: the batcher tells it what it cuts. */
  readonly pending: PendingEvents;
}

/**
 * The data's way into the actor (DESIGN §4), as one RxJS pipeline from the inbox: validate →
 * sanitise → rate limit per type → sample → redact and bound → beforeSend → the bounded queue's
 * door. The composition root (`createReporter`) pipes what comes out into the batcher and the sender.
 *
 * Everything up to the door runs synchronously inside `inbox.next()`, which is how `log()` learns
 * whether its event was accepted without awaiting anything.
 */
export function buildPipeline(inbox: Inbox, options: PipelineOptions): Admitted {
  const { counters, onAccepted } = options;
  const pending = new PendingEvents(options.overflow === 'drop-oldest');
  const admitted$ = inbox.pipe(
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
  return { admitted$, pending };
}
