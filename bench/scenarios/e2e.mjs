/**
 * e2e: N events, 100 per event-loop turn, then shutdown. Timed from the first log() until the
 * server counted the last event (its own wall-clock timestamp, polled every 20 ms; cap capMs).
 * Client CPU (process.cpuUsage(), user + system), event-loop delay (monitorEventLoopDelay, 1 ms
 * resolution) and peak RSS (sampled every 10 ms) run from just before the first log() and are read
 * when shutdown() has resolved and the poll last saw the count move, so a client that lost events
 * is not charged for the idle wait until the cap. `cpuUsPerEvent` = CPU µs / delivered events.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { MB, within } from '../lib/numbers.mjs';
import { waitForCount, wallNow } from '../lib/server-control.mjs';

/**
 * @param {{ client: import('../clients/types.mjs').ClientInstance, protocol: string, size: { events: number, capMs: number } }} input
 */
export async function e2e({ client, protocol, size }) {
  const n = size.events;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  /** @type {{ cpuUs: number, loopP50ms: number, loopP99ms: number, loopMaxMs: number, peakRssMB: number }} */
  let atLastCount = { cpuUs: NaN, loopP50ms: NaN, loopP99ms: NaN, loopMaxMs: NaN, peakRssMB: NaN };
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = wallNow();
  for (let i = 0; i < n; i += 100) {
    for (let j = i; j < Math.min(n, i + 100); j++) client.log(j);
    await nextTurn();
  }
  const loggedMs = wallNow() - t0;
  const shutdown = await within(client.shutdown(), size.capMs);
  const shutdownMs = wallNow() - t0;
  const onCount = () => {
    const cpu = process.cpuUsage(cpu0);
    atLastCount = { cpuUs: cpu.user + cpu.system, loopP50ms: loop.percentile(50) / 1e6, loopP99ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6, peakRssMB: peakRss / MB };
  };
  const done = await waitForCount(protocol, n, Math.max(0, size.capMs - shutdownMs), { settled: () => client.held().held === 0, onCount });
  loop.disable();
  clearInterval(sampler);
  const delivered = Math.min(n, done.received);
  const elapsedMs = (done.lastAt || wallNow()) - t0;
  const { cpuUs, ...loopAndRss } = atLastCount;
  return {
    deliveredPerSec: delivered / (elapsedMs / 1000),
    cpuUsPerEvent: delivered > 0 ? cpuUs / delivered : null,
    deliveredPct: (100 * delivered) / n,
    duplicates: done.duplicates,
    requests: done.requests,
    elapsedMs,
    loggedMs,
    cpuMs: cpuUs / 1000,
    ...loopAndRss,
    shutdownTimedOut: shutdown === 'timeout',
  };
}
