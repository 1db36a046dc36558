/**
 * Real child processes: telemetry must never be the reason a process stays alive, and after
 * stop() nothing of it is left running. The child runs this run's compiled sources (runFixture);
 * the test waits for its exit (jest's timeout is the only clock).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startReceiver, type Receiver } from '../../src/receiver/receiver.js';
import { runFixture } from '../helpers/child-process.js';

const runChild = (mode: string, url: string) => runFixture('log-and-leave.ts', [mode], { RECEIVER_URL: url });

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('process hygiene', () => {
  it('a process that logs and never calls stop() exits by itself (timers are unref’d)', async () => {
    // The fixture's flushIntervalMs is 60 s: if any reporter timer were ref'd, jest's timeout would fire first.
    const { code, stderr } = await runChild('leave', receiver.url);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 15_000);

  it('nobody waits: after a wait has ended, a process with events queued and a flush scheduled still exits at once', async () => {
    // Every request after the flush's hangs: a flush that went out anyway would hold the socket for httpTimeoutMs.
    void receiver.waitForRequests(1).then(() => receiver.inject({ hang: true, times: 100 }));
    const { code, stdout, stderr } = await runChild('after-wait', receiver.url);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { exitAfterMs } = JSON.parse(stdout.trim()) as { exitAfterMs: number };
    expect(exitAfterMs).toBeLessThan(500);
    expect(receiver.requests).toHaveLength(1);
  }, 15_000);

  it('a function host whose wrapped handlers have returned exits at once: the wrapper leaves no hold, timer or socket that keeps it alive', async () => {
    // flushBudgetMs is 5 s there: a hold that outlived its flush would keep the child for 6 s.
    const { code, stdout, stderr } = await runFixture('serverless.ts', [], { RECEIVER_URL: receiver.url });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { exitAfterMs, stats } = JSON.parse(stdout.trim()) as { exitAfterMs: number; stats: { accepted: number; delivered: number } };
    expect(exitAfterMs).toBeLessThan(500);
    // SESSION_START, five invocations and the exception: all delivered before the last call returned.
    expect(stats).toMatchObject({ accepted: 7, delivered: 7 });
    expect(receiver.events.map((e) => e.event)).toEqual(['SESSION_START', ...Array(5).fill('GENERIC_EVENT'), 'UNHANDLED_EXCEPTION']);
  }, 15_000);

  it('after stop() everything was delivered and nothing of the reporter is left (no timer, no socket)', async () => {
    const { code, stdout, stderr } = await runChild('stop', receiver.url);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout.trim()) as { delivered: boolean; active: string[] };
    expect(report.delivered).toBe(true);
    // No timer, no pooled keep-alive socket: the sink closed its agents on stop().
    expect(report.active).toEqual([]);
    expect(receiver.events.map((e) => e.event)).toEqual([
      'SESSION_START',
      ...Array(10).fill('GENERIC_EVENT'),
      'UNHANDLED_EXCEPTION',
      'SESSION_END',
    ]);
  }, 15_000);
});
