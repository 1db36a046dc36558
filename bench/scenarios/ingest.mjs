/**
 * ingest: N log() calls in a tight loop (server up). Every 100th call is timed on its own with
 * process.hrtime.bigint(); throughput and CPU cover the whole loop (timing calls included).
 * `cpuUsPerCallInclDeferred` adds the work the calls left queued as microtasks (posthog-node and
 * Segment do most of theirs in a promise chain after capture()/track() returned): CPU from the
 * loop's start until the next event-loop turn. Then shutdown, not timed, and what the server
 * counted: `deliveredPct` shows a client that dropped (cheaper, not faster) even where held()
 * cannot tell (OpenTelemetry without its meter).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { percentile, within } from '../lib/numbers.mjs';
import { stats } from '../lib/server-control.mjs';

/** @param {{ client: import('../clients/types.mjs').ClientInstance, protocol: string, size: { events: number } }} input */
export async function ingest({ client, protocol, size }) {
  const n = size.events;
  /** @type {number[]} */
  const samples = [];
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    if (i % 100 === 0) {
      const start = process.hrtime.bigint();
      client.log(i);
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    } else {
      client.log(i);
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await nextTurn();
  const cpuDeferred = process.cpuUsage(cpu0);
  const afterLoop = client.held();
  samples.sort((a, b) => a - b);
  const shutdown = await within(client.shutdown(), 60_000);
  const counted = protocol === 'none' ? undefined : (await stats(protocol)).received;
  return {
    callsPerSec: n / seconds,
    p50us: percentile(samples, 50),
    p99us: percentile(samples, 99),
    maxUs: samples.at(-1),
    cpuUsPerCall: (cpu.user + cpu.system) / n,
    cpuUsPerCallInclDeferred: (cpuDeferred.user + cpuDeferred.system) / n,
    // Sanity, after that turn: every call must have been kept (a client that drops is cheaper, not faster).
    heldAfterLoop: afterLoop.held,
    droppedAfterLoop: afterLoop.dropped,
    deliveredPct: counted === undefined ? null : (100 * Math.min(n, counted)) / n,
    shutdownTimedOut: shutdown === 'timeout',
  };
}
