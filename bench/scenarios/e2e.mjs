/**
 * e2e: N events, 100 per event-loop turn, then shutdown. Timed from the first log() until the
 * server counted the last event (its own wall-clock timestamp, polled every 20 ms; cap capMs).
 * Event-loop delay (monitorEventLoopDelay, 1 ms resolution) and peak RSS (sampled every 10 ms)
 * cover the whole run.
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
  loop.enable();
  const t0 = wallNow();
  for (let i = 0; i < n; i += 100) {
    for (let j = i; j < Math.min(n, i + 100); j++) client.log(j);
    await nextTurn();
  }
  const loggedMs = wallNow() - t0;
  const shutdown = await within(client.shutdown(), size.capMs);
  const shutdownMs = wallNow() - t0;
  const done = await waitForCount(protocol, n, Math.max(0, size.capMs - shutdownMs), { settled: () => client.held().held === 0 });
  loop.disable();
  clearInterval(sampler);
  const delivered = Math.min(n, done.received);
  const elapsedMs = (done.lastAt || wallNow()) - t0;
  return {
    deliveredPerSec: delivered / (elapsedMs / 1000),
    deliveredPct: (100 * delivered) / n,
    duplicates: done.duplicates,
    requests: done.requests,
    elapsedMs,
    loggedMs,
    loopP50ms: loop.percentile(50) / 1e6,
    loopP99ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
    peakRssMB: peakRss / MB,
    shutdownTimedOut: shutdown === 'timeout',
  };
}
