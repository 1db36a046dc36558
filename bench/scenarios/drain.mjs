/**
 * drain: N events logged in one synchronous loop with a long flush interval (and a huge flush
 * threshold where the client separates it from the batch size), so they are all queued; then
 * shutdown(). Measures from the end of the loop until shutdown resolved and until the server
 * counted everything. Client CPU (process.cpuUsage(), user + system) per delivered event, read
 * when the poll last saw the count move: `cpuUsPerEvent` over the whole scenario (the logging
 * loop included), `drainCpuUsPerEvent` from the end of the loop only.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { within } from '../lib/numbers.mjs';
import { waitForCount, wallNow } from '../lib/server-control.mjs';

/**
 * @param {{ client: import('../clients/types.mjs').ClientInstance, protocol: string, size: { events: number, capMs: number } }} input
 */
export async function drain({ client, protocol, size }) {
  const n = size.events;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) client.log(i);
  const cpuLogged = process.cpuUsage(cpu0);
  const t0 = wallNow();
  // One turn so clients that enqueue in a promise chain (posthog-node, Segment) have queued it all.
  await nextTurn();
  const queued = client.held().held;
  const shutdown = await within(client.shutdown(), size.capMs);
  const shutdownMs = wallNow() - t0;
  let cpuUs = NaN;
  const onCount = () => {
    const cpu = process.cpuUsage(cpu0);
    cpuUs = cpu.user + cpu.system;
  };
  const done = await waitForCount(protocol, n, Math.max(1000, size.capMs - shutdownMs), { settled: () => client.held().held === 0, onCount });
  const delivered = Math.min(n, done.received);
  const drainCpuUs = cpuUs - (cpuLogged.user + cpuLogged.system);
  return {
    queuedAtShutdown: queued ?? 'unknown',
    shutdownMs,
    allCountedMs: done.complete ? Math.max(shutdownMs, done.lastAt - t0) : NaN,
    deliveredPct: (100 * delivered) / n,
    drainedPerSec: done.complete ? delivered / (Math.max(shutdownMs, done.lastAt - t0) / 1000) : 0,
    cpuUsPerEvent: delivered > 0 ? cpuUs / delivered : null,
    drainCpuUsPerEvent: delivered > 0 ? drainCpuUs / delivered : null,
    duplicates: done.duplicates,
    requests: done.requests,
    shutdownTimedOut: shutdown === 'timeout',
  };
}
