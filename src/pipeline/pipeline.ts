import { identity, tap, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { admit } from './operators/admit.js';
import { PendingEvents } from './pending.js';
import type { Counters } from '../stats/counters.js';
import type { SuppressedNames } from '../stats/suppressed.js';
import type { ResolvedConfig } from '../config/parse-options.js';
import { isEvent, type Command, type Inbox } from '../inbox/commands.js';
import type { Durability } from '../events/durable.js';
import type { EventRecord } from '../events/event-record.js';
import { applyBeforeSend } from './operators/before-send.js';
import { rateLimitPerType } from './operators/rate-limit.js';
import { redactEvents } from './operators/redact.js';
import { sampleEvents } from './operators/sample.js';
import { sanitizeEvents } from './operators/sanitize.js';
import { validateEvents } from './operators/validate.js';

/** The options the pipeline's steps read, as parsed, and the reporter's parts it works with. */
export interface PipelineOptions
  extends Pick<
    ResolvedConfig,
    | 'scheduler'
    | 'logger'
    | 'random'
    | 'maxStringLength'
    | 'maxEventBytes'
    | 'rateLimitPerTypePerSecond'
    | 'rateLimits'
    | 'sampleRate'
    | 'sampleRates'
    | 'redactKeys'
    | 'captureContent'
    | 'beforeSend'
    | 'maxQueueSize'
    | 'maxQueueBytes'
    | 'terminalReserve'
    | 'overflow'
  > {
  readonly counters: Counters;
  /** Where the rate limit counts what it refused per name. */
  readonly suppressed?: SuppressedNames;
  /** Sees every accepted event (the replay of `events$`). */
  readonly onAccepted?: (record: EventRecord) => void;
  readonly isStopping: () => boolean;
  /** The durable spool's hooks at the door, when it is on. */
  readonly durability?: Durability | undefined;
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
    redactEvents({ redactKeys: options.redactKeys, maxEventBytes: options.maxEventBytes, counters, captureContent: options.captureContent }),
    applyBeforeSend(options.beforeSend, counters, options),
    admit({ ...options, pending }),
    onAccepted === undefined ? (identity as MonoTypeOperatorFunction<Command>) : tap((command) => isEvent(command) && onAccepted(command)),
  );
  return { admitted$, pending };
}
