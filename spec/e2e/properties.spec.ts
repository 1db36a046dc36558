/**
 * Property-based, end to end: a real reporter against the real receiver on 127.0.0.1, driven by
 * random sequences of log / burst / fault / delay / recover / flush / waitUntilDrained / pause,
 * under random (small) options. Nothing is mocked: every request crosses loopback.
 *
 * properties/model.ts: the options and actions (fast-check arbitraries); properties/run.ts: one
 * run, played against the receiver; properties/checks.ts: what must hold, and why (what
 * "delivered twice" and "delivered vs stored" mean).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { actionsArb, optionsArb, type Action, type RunOptions } from './properties/model.js';
import { run, seen } from './properties/run.js';

describe('reporter → receiver, random sequences (fast-check)', () => {
  it('keeps the stats invariant at every moment, settles everything on stop, and delivers no event twice', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await fc.assert(
        fc.asyncProperty(optionsArb, actionsArb, async (options, actions) => {
          await run(options, actions);
        }),
        {
          numRuns: Number(process.env['RXTEL_PROPERTY_RUNS'] ?? 40),
          // A failure shrinks with real network round trips: bound that too, and keep the counterexample found so far.
          plugins: [fc.interruptAfterTimeLimit(90_000, { failOnInterrupt: true })],
        },
      );
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    if (process.env['RXTEL_PROPERTY_STATS'] === '1') console.log(seen);
  }, 120_000);

  // The random runs reach the subtle cases only now and then (RXTEL_PROPERTY_STATS=1 shows how
  // often); these pin each one, with the same checks, so that every run of the file covers them.
  const base: RunOptions = {
    maxQueueSize: 64,
    maxBatchSize: 20,
    flushThreshold: 100,
    flushIntervalMs: 0,
    overflow: 'drop-newest',
    maxRetries: 2,
    retryBaseDelayMs: 0,
    maxInFlightBatches: 1,
    httpTimeoutMs: 60,
    stopTimeoutMs: 3000,
    observed: true,
  };
  const log: Action = { kind: 'log', name: 'ui.click', coalesceKey: undefined };
  const flush: Action = { kind: 'flush' };
  // Stored 400 ms after it arrived, long after the reporter's 60 ms attempt timeout: a wide margin on a busy machine.
  const lostAnswer: Action = { kind: 'delay', delayMs: 400, status: undefined, times: 1 };

  it('a 2xx the reporter never reads, then no retry left: stored, yet counted sendFailed (late events)', async () => {
    const summary = await run({ ...base, maxRetries: 0 }, [log, lostAnswer, flush]);
    expect(summary).toMatchObject({ lost: true, late: 2, duplicates: 0 });
    expect(summary.stats.dropped.sendFailed).toBeGreaterThanOrEqual(2);
  });

  it('a 2xx the reporter never reads, then a retry: stored twice under one idempotency key, delivered once', async () => {
    const summary = await run(base, [log, lostAnswer, flush]);
    expect(summary).toMatchObject({ lost: true, late: 0, duplicates: 2, split: false });
    expect(summary.stats.dropped.sendFailed).toBe(0);
  });

  it('a batch in flight at the stop deadline, stored after it: late, counted sendFailed', async () => {
    const summary = await run({ ...base, httpTimeoutMs: 1000, stopTimeoutMs: 100 }, [log, lostAnswer]);
    expect(summary).toMatchObject({ lost: true, stopped: false });
    expect(summary.late).toBeGreaterThanOrEqual(2);
  });

  it('a 413 splits the batch under new keys; after a lost 2xx the halves are stored again (same events, new keys)', async () => {
    const split = await run(base, [{ kind: 'burst', name: 'ui.click', n: 5, coalesce: false }, { kind: 'fault', status: 413, times: 1 }, flush]);
    expect(split).toMatchObject({ split: true, duplicates: 0 });
    const lostThenSplit = await run(base, [{ kind: 'burst', name: 'ui.click', n: 5, coalesce: false }, lostAnswer, { kind: 'fault', status: 413, times: 1 }, flush]);
    expect(lostThenSplit).toMatchObject({ split: true, lost: true, late: 0 });
    expect(lostThenSplit.duplicates).toBeGreaterThan(0);
  });

  it('drop-oldest evicts and coalescing merges, within the invariant', async () => {
    const summary = await run({ ...base, maxQueueSize: 8, overflow: 'drop-oldest', observed: false }, [
      { kind: 'burst', name: 'job.progress', n: 30, coalesce: false },
      { kind: 'burst', name: 'job.progress', n: 30, coalesce: true },
      flush,
    ]);
    expect(summary.stats.dropped.evicted).toBeGreaterThan(0);
    expect(summary.stats.dropped.coalesced).toBeGreaterThan(0);
  });
});
