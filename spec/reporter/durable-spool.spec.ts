import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createReporter } from '../../src/create-reporter.js';
import type { ReporterOptions } from '../../src/config/options.js';
import type { ReporterHealth } from '../../src/stats/observe.js';
import { startReceiver, type Receiver } from '../../src/receiver/receiver.js';
import { runFixture } from '../helpers/child-process.js';

/** The durable spool through the reporter, on a real directory and against the loopback receiver. */
let receiver: Receiver;
const dirs: string[] = [];
beforeAll(async () => (receiver = await startReceiver()));
afterAll(async () => {
  await receiver.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => receiver.reset());

function spoolDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rxtel-durable-'));
  dirs.push(dir);
  return dir;
}

function segmentFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.seg'))
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

function reporterOn(dir: string, options: Partial<ReporterOptions> = {}, warnings: string[] = []) {
  return createReporter({
    endpoint: receiver.url,
    spool: { dir, writeIntervalMs: 10 },
    flushIntervalMs: 50,
    retryBaseDelayMs: 10,
    logger: { warn: (m) => warnings.push(m) },
    ...options,
  });
}

const named = (name: string) => receiver.events.filter((e) => e.event === 'GENERIC_EVENT' && e.event_name === name);

describe('the durable spool through the reporter', () => {
  it('a clean stop with everything delivered leaves no file behind, and a restart re-sends nothing', async () => {
    const dir = spoolDir();
    const first = reporterOn(dir);
    for (let i = 0; i < 20; i++) first.log('clean.e', { i });
    expect(await first.stop()).toBe(true);
    expect(segmentFiles(dir)).toEqual([]);
    expect(named('clean.e')).toHaveLength(20);

    receiver.reset();
    const second = reporterOn(dir);
    expect(await second.stop()).toBe(true);
    expect(named('clean.e')).toHaveLength(0);
    expect(second.stats()).toMatchObject({ recovered: 0, dropped: { spoolCorrupt: 0 } });
    expect(segmentFiles(dir)).toEqual([]);
  });

  it('what a stop deadline abandons stays on disk; the next reporter sends it under its original session and ids, once', async () => {
    const dir = spoolDir();
    receiver.inject({ hang: true, times: 1000 });
    const first = reporterOn(dir, { httpTimeoutMs: 60_000 });
    for (let i = 0; i < 30; i++) first.log('left.e', { i });
    let health: ReporterHealth | undefined;
    const watching = first.health$.subscribe((h) => (health = h));
    expect(await first.stop(300)).toBe(false);
    watching.unsubscribe();
    expect(first.stats().dropped.sendFailed).toBeGreaterThan(0);
    expect(segmentFiles(dir).length).toBeGreaterThan(0);
    // stats() and health$ show what the spool holds.
    // (One segment from the timed writes, and maybe one more from the synchronous write at the abandon.)
    expect(first.stats().spool).toMatchObject({ segments: segmentFiles(dir).length, fallback: undefined });
    expect(first.stats().spool!.bytes).toBeGreaterThan(0);
    expect(health?.spool?.segments).toBeGreaterThanOrEqual(1);
    expect(health?.spool?.oldestUnsentAgeMs).toEqual(expect.any(Number));
    receiver.clearFaults();
    receiver.reset();

    const second = reporterOn(dir);
    await waitForBacklog(second);
    expect(await second.stop()).toBe(true);
    const left = named('left.e');
    expect(left.map((e) => (e as unknown as { event_data: { i: number } }).event_data.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(new Set(left.map((e) => e.session_id))).toEqual(new Set([first.sessionId]));
    expect(left.map((e) => e.event_session_index)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // The first session's SESSION_END was accepted (and abandoned): it is recovered too, so no rxtel.session.recovered.
    expect(receiver.events.filter((e) => e.session_id === first.sessionId && e.event === 'SESSION_END')).toHaveLength(1);
    expect(named('rxtel.session.recovered')).toHaveLength(0);
    expect(second.stats().recovered).toBeGreaterThanOrEqual(32);
    expect(segmentFiles(dir)).toEqual([]);
  });

  it('a process that ends by itself, without stop(), leaves what it accepted on disk; the next reporter sends it', async () => {
    const dir = spoolDir();
    const down = await startReceiver();
    await down.close();
    const exit = await runFixture('spool-exit.ts', [dir, '50'], { RECEIVER_URL: down.url });
    expect(exit.code).toBe(0);
    const second = reporterOn(dir);
    await waitForBacklog(second);
    expect(await second.stop()).toBe(true);
    expect(named('exit.e')).toHaveLength(50);
    expect(segmentFiles(dir)).toEqual([]);
  });

  it('a corrupt tail is cut and counted (dropped.spoolCorrupt); the rest is delivered', async () => {
    const dir = spoolDir();
    receiver.inject({ hang: true, times: 1000 });
    const first = reporterOn(dir, { httpTimeoutMs: 60_000 });
    for (let i = 0; i < 10; i++) first.log('torn.e', { i });
    expect(await first.stop(300)).toBe(false);
    receiver.clearFaults();
    receiver.reset();
    const [segment] = segmentFiles(dir);
    truncateSync(segment!, statSync(segment!).size - 5);

    const second = reporterOn(dir);
    await waitForBacklog(second);
    expect(await second.stop()).toBe(true);
    expect(second.stats().dropped.spoolCorrupt).toBe(1);
    // The last record (SESSION_END, written last) was cut; every event before it arrived.
    expect(named('torn.e')).toHaveLength(10);
  });

  it('an outage longer than the queue holds: the overflow waits on disk only, comes back in order, and everything is delivered once', async () => {
    const dir = spoolDir();
    // The backend refuses the first requests: the queue (64) fills while 2,000 events arrive.
    receiver.inject({ status: 503, times: 8 });
    const reporter = reporterOn(dir, { maxQueueSize: 64, flushThreshold: 10, maxRetries: 30, retryBaseDelayMs: 10, rateLimitPerTypePerSecond: 0 });
    let maxInMemory = 0;
    let maxOnDisk = 0;
    const watching = reporter.stats$.subscribe((stats) => {
      const onDisk = stats.spool?.backlog ?? 0;
      maxOnDisk = Math.max(maxOnDisk, onDisk);
      maxInMemory = Math.max(maxInMemory, stats.queued - onDisk);
    });
    const accepted = Array.from({ length: 2000 }, (_, i) => reporter.log('outage.e', { i }));
    expect(accepted.every(Boolean)).toBe(true);
    expect(await reporter.stop(30_000)).toBe(true);
    watching.unsubscribe();
    const received = named('outage.e');
    expect(received.map((e) => (e as unknown as { event_data: { i: number } }).event_data.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    // Each event under the index it was accepted with: SESSION_START is 0.
    for (const event of received) expect(event.event_session_index).toBe((event as unknown as { event_data: { i: number } }).event_data.i + 1);
    expect(maxOnDisk).toBeGreaterThan(1000);
    expect(maxInMemory).toBeLessThanOrEqual(64);
    expect(reporter.stats()).toMatchObject({ queued: 0, dropped: { queueFull: 0, sendFailed: 0, spoolFull: 0 } });
    expect(segmentFiles(dir)).toEqual([]);
  });

  it('an outage longer than the retries: with the spool nothing is given up, the backlog comes back in order when the backend does', async () => {
    const dir = spoolDir();
    // 12 refusals in a row, six for each of the two batches in flight: twice what maxRetries (3) tries before giving up.
    receiver.inject({ status: 503, times: 12 });
    const reporter = reporterOn(dir, { maxQueueSize: 64, flushThreshold: 10, retryBaseDelayMs: 5, rateLimitPerTypePerSecond: 0 });
    for (let i = 0; i < 500; i++) reporter.log('long.e', { i });
    expect(await reporter.stop(30_000)).toBe(true);
    const received = named('long.e').map((e) => (e as unknown as { event_data: { i: number } }).event_data.i);
    expect([...received].sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(reporter.stats()).toMatchObject({ queued: 0, dropped: { sendFailed: 0, queueFull: 0 } });
    expect(reporter.stats().retries).toBeGreaterThanOrEqual(12);
  });

  it('a backend that refuses connections for a while: everything arrives once it listens again', async () => {
    const dir = spoolDir();
    const down = await startReceiver();
    const { port, url } = down;
    await down.close();
    const reporter = createReporter({
      endpoint: url,
      spool: { dir, writeIntervalMs: 10 },
      maxQueueSize: 64,
      flushThreshold: 10,
      flushIntervalMs: 20,
      retryBaseDelayMs: 5,
      rateLimitPerTypePerSecond: 0,
      logger: { warn: () => undefined },
    });
    for (let i = 0; i < 300; i++) reporter.log('refused.e', { i });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reporter.stats().retries).toBeGreaterThan(0);
    const up = await startReceiver({ port });
    try {
      expect(await reporter.stop(30_000)).toBe(true);
      const received = up.events.filter((e) => e.event === 'GENERIC_EVENT' && e.event_name === 'refused.e');
      expect(received).toHaveLength(300);
      expect(reporter.stats().dropped.sendFailed).toBe(0);
    } finally {
      await up.close();
    }
  });

  it('memory and spool both full: the rest is refused as spoolFull, and nothing else is lost', async () => {
    const dir = spoolDir();
    receiver.inject({ status: 503, times: 6 });
    const reporter = reporterOn(dir, { maxQueueSize: 16, flushThreshold: 4, retryBaseDelayMs: 5, rateLimitPerTypePerSecond: 0, spool: { dir, maxBytes: 1_048_576, writeIntervalMs: 10 } });
    const filler = 'y'.repeat(2000);
    const verdicts = Array.from({ length: 1000 }, (_, i) => reporter.log('full.e', { i, filler }));
    const refused = verdicts.filter((ok) => !ok).length;
    expect(refused).toBeGreaterThan(0);
    expect(await reporter.stop(30_000)).toBe(true);
    const stats = reporter.stats();
    expect(stats.dropped).toMatchObject({ spoolFull: refused, queueFull: 0, sendFailed: 0 });
    // Every event that was accepted arrived.
    expect(named('full.e')).toHaveLength(1000 - refused);
    expect(stats.accepted).toBe(stats.delivered);
  });

  it('an unusable directory: one warning, memory only (counted), every event still delivered', async () => {
    // A path under a file: no directory can be made there, whoever runs the test (root included).
    const file = join(spoolDir(), 'a-file');
    writeFileSync(file, 'not a directory');
    const warnings: string[] = [];
    const reporter = reporterOn(join(file, 'spool'), {}, warnings);
    for (let i = 0; i < 10; i++) reporter.log('ro.e', { i });
    expect(await reporter.stop()).toBe(true);
    expect(named('ro.e')).toHaveLength(10);
    const spool = reporter.stats().spool!;
    expect(spool.fallback).toEqual(expect.any(String));
    expect(spool.skipped).toBe(reporter.stats().accepted);
    expect(warnings.filter((w) => w.includes('spool'))).toHaveLength(1);
  });

  it('a spool too small for the events: counted as skipped (memory only), nothing else lost', async () => {
    const dir = spoolDir();
    const reporter = reporterOn(dir, { spool: { dir, maxBytes: 1_048_576, writeIntervalMs: 10 } });
    const big = 'x'.repeat(8000);
    for (let i = 0; i < 300; i++) reporter.log('big.e', { i, big });
    expect(await reporter.stop()).toBe(true);
    expect(named('big.e')).toHaveLength(300);
    expect(reporter.stats().spool!.skipped).toBeGreaterThan(0);
    expect(segmentFiles(dir)).toEqual([]);
  });
});

/** Until what earlier processes left is claimed and sent (a condition polled on real time, at most 10 s). */
async function waitForBacklog(reporter: ReturnType<typeof createReporter>): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 10) {
    const { spool, queued } = reporter.stats();
    if (spool?.recovering === false && spool.backlog === 0 && queued <= 1) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`recovery did not finish: ${JSON.stringify(reporter.stats().spool)}`);
}

