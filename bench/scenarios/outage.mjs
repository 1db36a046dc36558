/**
 * outage: the server answers 503 while N events are logged (100 per turn) and for extraMs more.
 * Then (after gc) heap and RSS growth against a baseline taken right after creating the client,
 * and what the client says it holds and dropped. Then the server recovers: how many events arrive
 * within recoveryCapMs, and how long until the last of them did.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { MB, settledMemory, within } from '../lib/numbers.mjs';
import { setOutage, stats, waitForCount, wallNow } from '../lib/server-control.mjs';

/**
 * @param {{ client: import('../clients/types.mjs').ClientInstance, protocol: string, baseline: NodeJS.MemoryUsage,
 *   size: { events: number, extraMs: number, recoveryCapMs: number } }} input
 */
export async function outage({ client, protocol, baseline, size }) {
  const n = size.events;
  await setOutage(true);
  for (let i = 0; i < n; i += 100) {
    for (let j = i; j < Math.min(n, i + 100); j++) client.log(j);
    await nextTurn();
  }
  await sleep(size.extraMs);
  const during = settledMemory();
  const heldDuring = client.held();
  const refused = (await stats(protocol)).refused;

  await setOutage(false);
  const recoveredAt = wallNow();
  const done = await waitForCount(protocol, n, size.recoveryCapMs, { settled: () => client.held().held === 0 });
  const heldAfter = client.held();
  const arrived = done.received;
  const recoveryMs = arrived > 0 ? done.lastAt - recoveredAt : NaN;
  const heapGrowth = during.heapUsed - baseline.heapUsed;
  await within(client.shutdown(), 10_000);
  return {
    heapGrowthMB: heapGrowth / MB,
    rssGrowthMB: (during.rss - baseline.rss) / MB,
    held: heldDuring.held ?? 'unknown',
    dropped: heldDuring.dropped ?? 'unknown',
    heapBytesPerHeldEvent: heldDuring.held ? heapGrowth / heldDuring.held : null,
    refusedRequests: refused,
    arrived,
    lost: n - arrived,
    droppedReportedAtEnd: heldAfter.dropped ?? 'unknown',
    heldAtEnd: heldAfter.held ?? 'unknown',
    recoveryMs,
    recoveredPerSec: arrived > 0 ? arrived / Math.max(0.001, recoveryMs / 1000) : 0,
    duplicates: done.duplicates,
    howCounted: heldDuring.how ?? '',
  };
}
