/**
 * Waits return promptly in every shape of process (promise 8): real child processes against the
 * loopback receiver. Each call is made right after a timer wait, when the child's event loop is
 * about to block in poll; a ref'd 3 s timer in the child plays the application's own pending timer
 * and fails the child if a wait has not resolved by then. On the unfixed scheduler every shape
 * stalled there.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startReceiver, type Receiver } from '../../src/receiver/receiver.js';
import { runFixture } from '../helpers/child-process.js';

/** Generous for a loopback round trip on a busy machine; the stall it guards against lasted seconds. */
const PROMPT_MS = 1000;

interface Line {
  readonly check?: string;
  readonly ms?: number;
  readonly result?: unknown;
  readonly stalled?: string;
}

const lines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('waits after a timer wait, against a healthy backend', () => {
  it.each([
    ['a plain script', 'script', ['flush', 'waitUntilDrained', 'logFatalException', 'stop']],
    ['a worker_threads worker', 'worker', ['flush', 'waitUntilDrained', 'logFatalException', 'stop']],
    ['a script with an idle http server (a threshold batch leaves with nobody waiting)', 'server', ['idle-cut', 'flush', 'waitUntilDrained', 'logFatalException', 'stop']],
  ])('in %s, flush, waitUntilDrained, logFatalException and stop each return within a moment', async (_, shape, expected) => {
    const exit = await runFixture('waits.ts', [shape as string], { RECEIVER_URL: receiver.url });
    const results = lines(exit.stdout);
    expect(results.find((line) => line.stalled !== undefined)).toBeUndefined();
    expect(exit.code).toBe(0);
    expect(results.map((line) => line.check)).toEqual(expected);
    for (const line of results) expect(line.ms).toBeLessThan(PROMPT_MS);
    expect(results.filter((line) => typeof line.result === 'boolean').every((line) => line.result === true)).toBe(true);
    const kinds = receiver.events.map((e) => e.event);
    expect(kinds.filter((k) => k === 'SESSION_END')).toHaveLength(1);
    // Two events around each timer wait (and two more for the idle cut): all of them arrived.
    expect(kinds.filter((k) => k === 'GENERIC_EVENT')).toHaveLength(2 * expected.length + (shape === 'server' ? 2 : 0));
    expect(receiver.duplicates).toBe(0);
  }, 20_000);
});

describe('flush against a backend that accepts and never answers', () => {
  it('resolves at its deadline (flush(ms) or flushTimeoutMs) with the pending count, and the next line runs', async () => {
    receiver.inject({ hang: true, times: 100 });
    const exit = await runFixture('waits.ts', ['hanging'], { RECEIVER_URL: receiver.url });
    const results = lines(exit.stdout);
    expect(results.find((line) => line.stalled !== undefined)).toBeUndefined();
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('the line after flush(300) runs');
    expect(exit.stdout).toContain('the line after flush() runs');
    const [short, byDefault, stop] = results;
    // SESSION_START and the two events around the timer wait; then two more.
    expect(short).toMatchObject({ check: 'flush(300)', result: { pending: 3 } });
    expect(short!.ms).toBeGreaterThanOrEqual(290);
    expect(short!.ms).toBeLessThan(300 + PROMPT_MS);
    expect(byDefault).toMatchObject({ check: 'flush()', result: { pending: 5 } });
    expect(byDefault!.ms).toBeGreaterThanOrEqual(590);
    expect(byDefault!.ms).toBeLessThan(600 + PROMPT_MS);
    expect(stop).toMatchObject({ check: 'stop(100)', result: false });
  }, 20_000);
});
