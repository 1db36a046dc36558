/**
 * Runs ONE client in ONE scenario in this fresh process and reports a JSON result over IPC.
 * argv: <client> <scenario> <server url> <events> [outageSeconds recoverySeconds]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { clients } from './clients.mjs';

const [clientName, scenario, url, eventsArg, outageArg = '5', recoveryArg = '30'] = process.argv.slice(2);
const N = Number(eventsArg);
const SETTINGS = {
  ingest: { flushAt: 100, flushIntervalMs: 1000, queueSize: 1_000_000 },
  e2e: { flushAt: 100, flushIntervalMs: 1000, queueSize: 1_000_000 },
  outage: { flushAt: 100, flushIntervalMs: 1000, queueSize: 10_000 },
  drain: { flushAt: 1_000_000, flushIntervalMs: 600_000, queueSize: 1_000_000 },
};
/** rxtel adds SESSION_START and SESSION_END to what it sends. */
const EXTRA = { rxtel: 2 };

const now = () => performance.now();
const received = async (protocol) => ((await (await fetch(`${url}/__stats`)).json())[protocol] ?? { received: 0 });
const post = (path) => fetch(`${url}${path}`, { method: 'POST' }).then((r) => r.arrayBuffer());
const gcHeap = () => {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage();
};

/** Polls the server until `target` events were counted or `capMs` passed; `atMs` is the last arrival. */
async function until(protocol, target, capMs) {
  const start = now();
  let last = await received(protocol);
  let atMs = now();
  while (last.received < target && now() - start < capMs) {
    await sleep(20);
    const next = await received(protocol);
    if (next.received !== last.received) atMs = now();
    last = next;
  }
  return { ...last, atMs };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function ingest(client) {
  const samples = [];
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    if (i % 100 === 0) {
      const s = process.hrtime.bigint();
      client.log(i);
      samples.push(Number(process.hrtime.bigint() - s) / 1000);
    } else client.log(i);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  samples.sort((a, b) => a - b);
  return { callsPerSec: N / seconds, p50us: percentile(samples, 50), p99us: percentile(samples, 99), maxUs: samples.at(-1), cpuUsPerCall: (cpu.user + cpu.system) / N };
}

async function e2e(client, protocol, extra) {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const t0 = now();
  for (let i = 0; i < N; i += 100) {
    for (let j = i; j < Math.min(N, i + 100); j++) client.log(j);
    await nextTurn();
  }
  await client.shutdown();
  const done = await until(protocol, N + extra, 60_000);
  clearInterval(sampler);
  loop.disable();
  const delivered = Math.min(N, done.received - extra);
  return {
    deliveredPerSec: delivered / ((done.atMs - t0) / 1000),
    deliveredPct: (100 * delivered) / N,
    duplicates: done.duplicates,
    requests: done.requests,
    loopP50ms: loop.percentile(50) / 1e6,
    loopP99ms: loop.percentile(99) / 1e6,
    peakRssMB: peakRss / 2 ** 20,
  };
}

async function outage(client, protocol, extra) {
  await post('/__outage/on');
  const base = gcHeap();
  for (let i = 0; i < N; i += 100) {
    for (let j = i; j < Math.min(N, i + 100); j++) client.log(j);
    await nextTurn();
  }
  await sleep(Number(outageArg) * 1000);
  const during = gcHeap();
  const held = client.held();
  const heapGrowthMB = (during.heapUsed - base.heapUsed) / 2 ** 20;
  await post('/__outage/off');
  const t0 = now();
  const capMs = Number(recoveryArg) * 1000;
  const done = await until(protocol, N + extra, capMs);
  const arrived = Math.max(0, done.received - extra);
  return {
    heapGrowthMB,
    rssGrowthMB: (during.rss - base.rss) / 2 ** 20,
    held,
    heapBytesPerHeldEvent: typeof held.queued === 'number' && held.queued > 0 ? (during.heapUsed - base.heapUsed) / held.queued : null,
    arrivedAfterRecovery: arrived,
    /** From the end of the outage to the last event that arrived within the cap. */
    recoverySeconds: (done.atMs - t0) / 1000,
    recoveredPerSec: arrived / Math.max(0.001, (done.atMs - t0) / 1000),
  };
}

async function drain(client, protocol, extra) {
  for (let i = 0; i < N; i++) client.log(i);
  const t0 = now();
  await client.shutdown();
  const resolvedMs = now() - t0;
  const done = await until(protocol, N + extra, 60_000);
  return { shutdownResolvedMs: resolvedMs, allCountedMs: done.atMs - t0, deliveredPct: (100 * Math.min(N, done.received - extra)) / N };
}

const scenarios = { ingest, e2e, outage, drain };
try {
  const client = await clients[clientName](url, SETTINGS[scenario]);
  const result = await scenarios[scenario](client, client.protocol, EXTRA[clientName] ?? 0);
  process.send({ ok: true, result });
} catch (error) {
  process.send({ ok: false, error: String(error?.stack ?? error) });
}
process.exit(0);
