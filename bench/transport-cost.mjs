/**
 * `npm run build && node bench/transport-cost.mjs [--requests=3000] [--rounds=5] [--undici=/path/to/node_modules/undici]`
 *
 * Client CPU per request of each way an HTTP sink can carry a batch, against a server in another
 * process on 127.0.0.1: the same 100-event Tinker batch, serialised with JSON.stringify on every
 * request by every row (as a sink must), 2 requests in flight, keep-alive.
 * Rounds interleave the transports; each row is the median of the rounds (µs of user + system
 * CPU per request, process.cpuUsage). Decision 0020 and docs/sinks.md quote its numbers.
 *
 *   sink, node:http    TinkerHttpSink as shipped (the lean transport)
 *   sink, ky (fetch)   TinkerHttpSink given `ky: ky.create()` (ky over Node's global fetch)
 *   bare node:http     http.request with a keep-alive agent, nothing else: the floor
 *   undici Pool        undici's Pool.request, when --undici points at an installed undici
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import ky from 'ky';
import { TinkerHttpSink } from '../dist/index.js';
import { median } from './lib/numbers.mjs';
import { EVENT_NAME, eventProperties } from './settings.mjs';

if (process.argv[2] === 'server') {
  const server = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"accepted"}'));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send?.(/** @type {any} */ (server.address()).port));
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

async function main() {
  /** @type {Record<string, string | true>} */
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
  const requests = Number(args.requests ?? 3000);
  const rounds = Number(args.rounds ?? 5);
  const child = fork(new URL(import.meta.url), ['server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve) => child.once('message', resolve));
  const base = `http://127.0.0.1:${port}`;
  const url = `${base}/api/v1/telemetry`;
  /** @type {import('../dist/index.js').TelemetryEvent[]} */
  const events = Array.from({ length: 100 }, (_, i) => ({
    event: /** @type {const} */ ('GENERIC_EVENT'), event_id: crypto.randomUUID(), event_session_index: i, severity: /** @type {const} */ ('INFO'),
    timestamp: '2026-11-27T00:00:00.000000Z', event_name: EVENT_NAME, event_data: eventProperties(),
  }));
  const envelope = { session_id: crypto.randomUUID(), platform: 'linux/x64', sdk_version: '0', process_uuid: crypto.randomUUID(), events };
  const body = () => JSON.stringify(envelope);
  const context = { batchId: 'b', attempt: 0, sessionId: crypto.randomUUID() };
  const signal = new AbortController().signal;

  /** @type {Record<string, { send: () => Promise<unknown>, close: () => unknown }>} */
  const ways = {};
  const lean = new TinkerHttpSink({ endpoint: base, apiKey: 'bench' });
  ways['sink, node:http'] = { send: () => lean.export(events, signal, context), close: () => lean.shutdown() };
  const viaKy = new TinkerHttpSink({ endpoint: base, apiKey: 'bench', ky: ky.create({}) });
  ways['sink, ky (fetch)'] = { send: () => viaKy.export(events, signal, context), close: () => viaKy.shutdown() };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  ways['bare node:http'] = {
    send: () => new Promise((resolve, reject) => {
      const json = body();
      const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) } }, (response) => {
        response.on('data', () => undefined);
        response.on('end', resolve);
      });
      request.on('error', reject);
      request.end(json);
    }),
    close: () => agent.destroy(),
  };
  if (typeof args.undici === 'string') {
    const { Pool } = await import(pathToFileURL(`${args.undici}/index.js`).href);
    const pool = new Pool(base, { connections: 8 });
    ways['undici Pool'] = {
      send: async () => {
        const answer = await pool.request({ path: '/api/v1/telemetry', method: 'POST', body: body(), headers: { 'content-type': 'application/json' } });
        await answer.body.text();
      },
      close: () => pool.close(),
    };
  }

  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(Object.keys(ways).map((name) => [name, []]));
  for (let round = 0; round < rounds + 1; round++) {
    for (const [name, way] of Object.entries(ways)) {
      const cpu = await measure(way.send, round === 0 ? 200 : requests);
      // Round 0 warms every way up (JIT, sockets) and is not counted.
      if (round > 0) samples[name]?.push(cpu);
    }
  }
  console.log(`CPU µs per request, ${requests} requests × ${rounds} interleaved rounds, 2 in flight, 100-event body of ${body().length} bytes (median, min–max)\n`);
  console.log('| transport | CPU µs/request | vs bare node:http |\n| --- | ---: | ---: |');
  const floor = median(samples['bare node:http'] ?? []);
  for (const [name, values] of Object.entries(samples)) {
    const m = median(values);
    console.log(`| ${name} | ${m.toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}) | ${(m / floor).toFixed(2)}× |`);
  }
  for (const way of Object.values(ways)) await way.close();
  child.disconnect();
}

/** CPU µs per request over `n` requests, 2 in flight. @param {() => Promise<unknown>} send @param {number} n */
async function measure(send, n) {
  globalThis.gc?.();
  const start = process.cpuUsage();
  let next = 0;
  const lane = async () => {
    while (next < n) {
      next++;
      await send();
    }
  };
  await Promise.all([lane(), lane()]);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}
