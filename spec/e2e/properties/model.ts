/**
 * The model of the property-based end-to-end test (spec/e2e/properties.spec.ts): the options a
 * run picks and the actions it plays, as fast-check arbitraries. Options keep every wait short
 * (retry base 0–5 ms, HTTP timeout 60–200 ms, delays up to 250 ms).
 */
import fc from 'fast-check';

export const API_KEY = 'sk-test-properties-0123456789';
export const NAMES = ['ui.click', 'cache.miss', 'job.progress'] as const;
export const MAX_HTTP_TIMEOUT_MS = 200;
export const MAX_DELAY_MS = 250;

export interface RunOptions {
  readonly maxQueueSize: number;
  readonly maxBatchSize: number;
  readonly flushThreshold: number;
  readonly flushIntervalMs: number;
  readonly overflow: 'drop-newest' | 'drop-oldest';
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly maxInFlightBatches: number;
  readonly httpTimeoutMs: number;
  readonly stopTimeoutMs: number;
  /** Spy on the sink's attempts (exact delivered-vs-stored accounting) instead of `endpoint`. */
  readonly observed: boolean;
}

export type Action =
  | { readonly kind: 'log'; readonly name: string; readonly coalesceKey: string | undefined }
  | { readonly kind: 'burst'; readonly name: string; readonly n: number; readonly coalesce: boolean }
  | { readonly kind: 'fault'; readonly status: 503 | 500 | 429 | 400 | 413; readonly times: number }
  | { readonly kind: 'delay'; readonly delayMs: number; readonly status: 503 | undefined; readonly times: number }
  | { readonly kind: 'recover' }
  | { readonly kind: 'flush' }
  | { readonly kind: 'drain'; readonly timeoutMs: number }
  | { readonly kind: 'pause'; readonly ms: number };

export const optionsArb: fc.Arbitrary<RunOptions> = fc.record({
  // Small queues half of the time, so that bursts overflow them (queueFull, evicted).
  maxQueueSize: fc.oneof(fc.integer({ min: 8, max: 16 }), fc.integer({ min: 8, max: 64 })),
  maxBatchSize: fc.integer({ min: 1, max: 20 }),
  // Often above the queue: events then wait uncut, where drop-oldest can evict and coalescing can merge.
  flushThreshold: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constant(100)),
  flushIntervalMs: fc.constantFrom(0, 5, 25),
  overflow: fc.constantFrom('drop-newest' as const, 'drop-oldest' as const),
  maxRetries: fc.integer({ min: 0, max: 3 }),
  retryBaseDelayMs: fc.integer({ min: 0, max: 5 }),
  maxInFlightBatches: fc.integer({ min: 1, max: 3 }),
  httpTimeoutMs: fc.integer({ min: 60, max: MAX_HTTP_TIMEOUT_MS }),
  // 100 ms often cuts a run short (abandoned batches); 3 s lets every bounded retry finish.
  stopTimeoutMs: fc.constantFrom(100, 300, 3000),
  observed: fc.boolean(),
});

const name = fc.constantFrom(...NAMES);
const times = fc.integer({ min: 1, max: 3 });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('log' as const), name, coalesceKey: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }) }) },
  {
    weight: 2,
    // Small bursts, or ones that overflow most queues.
    arbitrary: fc.record({ kind: fc.constant('burst' as const), name, n: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 30, max: 50 })), coalesce: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('fault' as const), status: fc.constantFrom(503 as const, 500 as const, 429 as const, 400 as const, 413 as const), times }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delay' as const),
      // Short, anywhere, or past every httpTimeoutMs (a stored batch whose answer the reporter never reads).
      delayMs: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: MAX_DELAY_MS }), fc.integer({ min: MAX_HTTP_TIMEOUT_MS, max: MAX_DELAY_MS })),
      status: fc.option(fc.constant(503 as const), { nil: undefined }),
      times,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'recover' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drain' as const), timeoutMs: fc.integer({ min: 0, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 40 }) }) },
);
export const actionsArb = fc.array(actionArb, { minLength: 1, maxLength: 14 });
