/**
 * Several callers of stop(), in virtual time: each waits up to its own deadline and gets its own
 * answer; the sequence runs once and gives up only at the latest deadline.
 */
import { describe, expect, it } from '@jest/globals';
import type { ReporterOptions } from '../../src/config/options.js';
import { retryable, success, type Step } from '../helpers/scripted-sink.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';

/** A virtual-time reporter (no jitter), and how many SESSION_ENDs its sink got. */
function setup(steps: Step[], options: Partial<ReporterOptions> = {}, fallback: Step = success) {
  const virtual = virtualReporter({ steps, options: { random: () => 0, ...options }, fallback });
  const sessionEnds = () => virtual.sink.events.filter((e) => e.event === 'SESSION_END').length;
  return { ...virtual, sessionEnds };
}

describe('stop() with several callers', () => {
  it('a short deadline does not shorten a longer one: each caller gets its own answer, in either order', async () => {
    for (const order of ['short first', 'long first']) {
      const { sink, reporter, settledAt, sessionEnds } = setup([{ delayMs: 5000, result: success }]);
      reporter.log('a');
      const [short, long] = order === 'short first' ? [reporter.stop(2000), reporter.stop(10_000)] : [reporter.stop(10_000), reporter.stop(2000)].reverse();
      expect(short).not.toBe(long);
      expect(await settledAt(short!)).toEqual({ value: false, atMs: 2000 });
      expect(await settledAt(long!)).toEqual({ value: true, atMs: 5000 });
      expect(reporter.stats()).toMatchObject({ delivered: 3, queued: 0, dropped: { sendFailed: 0 } });
      expect(sessionEnds()).toBe(1);
      expect(sink.shutdowns).toBe(1);
    }
  });

  it('against a backend that never answers, each caller answers false at its own deadline; the events are abandoned only at the latest', async () => {
    const { reporter, settledAt } = setup([], { httpTimeoutMs: 60_000 }, { hang: true });
    reporter.log('a');
    const short = reporter.stop(2000);
    const long = reporter.stop(4000);
    expect(await settledAt(short)).toEqual({ value: false, atMs: 2000 });
    expect(reporter.stats()).toMatchObject({ queued: 3, dropped: { sendFailed: 0 } });
    expect(await settledAt(long)).toEqual({ value: false, atMs: 4000 });
    // Three events, and the last telemetry.health about them.
    expect(reporter.stats()).toMatchObject({ queued: 0, dropped: { sendFailed: 4 } });
  });

  it('the retry budget follows the callers still waiting: backoffs are not cut to the shortest deadline', async () => {
    const { sink, reporter, settledAt } = setup([retryable(), retryable()], { retryBaseDelayMs: 1000 });
    reporter.log('a');
    const short = reporter.stop(1500);
    const long = reporter.stop(10_000);
    expect(await settledAt(short)).toEqual({ value: false, atMs: 1500 });
    // Attempts at 0, 1000 and 1000 + 2000: the second backoff was not capped at the 500 ms left to `short`.
    expect(await settledAt(long)).toEqual({ value: true, atMs: 3000 });
    expect(sink.calls.map((c) => c.atMs)).toEqual([0, 1000, 3000]);
  });

  it('a caller arriving while the sequence runs moves its deadline on; a caller with the same deadline shares the promise', async () => {
    const { scheduler, reporter, settledAt } = setup([], { httpTimeoutMs: 60_000 }, { hang: true });
    reporter.log('a');
    const first = reporter.stop(1000);
    expect(reporter.stop(1000)).toBe(first);
    let later: Promise<boolean> | undefined;
    scheduler.schedule(() => (later = reporter.stop(2500)), 500);
    expect(await settledAt(first)).toEqual({ value: false, atMs: 1000 });
    expect(reporter.stats().dropped.sendFailed).toBe(0);
    expect(await settledAt(later!)).toEqual({ value: false, atMs: 3000 });
    expect(reporter.stats().dropped.sendFailed).toBe(4);
  });

  it('after the sequence finished, every call resolves at once with its result, whatever the deadline', async () => {
    const { scheduler, reporter, settledAt, sessionEnds } = setup([]);
    reporter.log('a');
    expect(await settledAt(reporter.stop(1000))).toEqual({ value: true, atMs: 0 });
    const again = reporter.stop(60_000);
    expect(reporter.stop()).toBe(again);
    expect(scheduler.actions).toHaveLength(0);
    await expect(again).resolves.toBe(true);
    expect(sessionEnds()).toBe(1);
  });
});
