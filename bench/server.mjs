/**
 * The benchmark's receiving server, a child process of run.mjs (so its CPU is not charged to the
 * client under test). Counts the events of every request, per protocol, and can play an outage.
 *
 *   Tinker    POST /api/v1/telemetry  body.events[]            id: event_id
 *   PostHog   POST /batch/            body.batch[] (api_key)   id: uuid
 *   Segment   POST /v1/batch          body.batch[]             id: messageId
 *   OTLP logs POST /v1/logs (JSON)    resourceLogs[].scopeLogs[].logRecords[]   (no id: count only)
 *
 * `received` counts only the bench's own `user.action` events (first sighting of an id); other
 * events (rxtel's SESSION_START/END, …) are counted in `other`. `lastAt` is the wall-clock time
 * (performance.timeOrigin + now(), comparable across processes) of the last new `user.action`.
 *
 * IPC in:  {type:'stats'|'outage'|'reset'|'exit', id?, on?}
 * IPC out: {type:'ready', port} once; then {type:'stats', id, stats} in answer to every message.
 */
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

const EVENT_NAME = 'user.action';
const wallNow = () => performance.timeOrigin + performance.now();

/** @type {Record<string, {events: (b: any) => any[], id: (e: any) => string | undefined, name: (e: any) => unknown, ok: string}>} */
const PROTOCOLS = {
  tinker: { events: (b) => b.events, id: (e) => e.event_id, name: (e) => e.event_name, ok: '{"status":"accepted"}' },
  posthog: { events: (b) => b.batch, id: (e) => e.uuid, name: (e) => e.event, ok: '{}' },
  segment: { events: (b) => b.batch, id: (e) => e.messageId, name: (e) => e.event, ok: '{}' },
  otlp: {
    events: (b) => (b.resourceLogs ?? []).flatMap((/** @type {any} */ r) => (r.scopeLogs ?? []).flatMap((/** @type {any} */ s) => s.logRecords ?? [])),
    id: () => undefined,
    name: (e) => e.eventName || e.body?.stringValue,
    ok: '{}',
  },
};

/** @param {string} path */
function protocolOf(path) {
  if (path === '/api/v1/telemetry') return 'tinker';
  if (path === '/batch' || path === '/batch/') return 'posthog';
  if (path === '/v1/batch') return 'segment';
  if (path === '/v1/logs') return 'otlp';
  return undefined;
}

const fresh = () =>
  Object.fromEntries(Object.keys(PROTOCOLS).map((p) => [p, { received: 0, duplicates: 0, other: 0, requests: 0, refused: 0, badRequests: 0, lastAt: 0, seen: new Set() }]));
let counters = fresh();
let outage = false;

const snapshot = () =>
  Object.fromEntries(Object.entries(counters).map(([p, { seen, ...counts }]) => [p, counts]));

/** @param {string} protocol @param {Buffer} raw @param {string | undefined} encoding */
function count(protocol, raw, encoding) {
  const spec = PROTOCOLS[protocol];
  const counter = counters[protocol];
  const body = JSON.parse((encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
  let fresh = 0;
  for (const event of spec.events(body) ?? []) {
    if (spec.name(event) !== EVENT_NAME) {
      counter.other++;
      continue;
    }
    const id = spec.id(event);
    if (id !== undefined) {
      if (counter.seen.has(id)) {
        counter.duplicates++;
        continue;
      }
      counter.seen.add(id);
    }
    counter.received++;
    fresh++;
  }
  if (fresh > 0) counter.lastAt = wallNow();
}

const server = createServer((req, res) => {
  const protocol = protocolOf((req.url ?? '/').split('?')[0]);
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (protocol === undefined || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const counter = counters[protocol];
    counter.requests++;
    if (outage) {
      counter.refused++;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"outage"}');
      return;
    }
    try {
      count(protocol, Buffer.concat(chunks), req.headers['content-encoding']);
      res.writeHead(200, { 'content-type': 'application/json' }).end(PROTOCOLS[protocol].ok);
    } catch (error) {
      counter.badRequests++;
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    }
  });
});

server.keepAliveTimeout = 30_000;
server.headersTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ type: 'ready', port: /** @type {any} */ (server.address()).port }));

process.on('message', (/** @type {any} */ message) => {
  if (message.type === 'outage') outage = Boolean(message.on);
  if (message.type === 'reset') {
    counters = fresh();
    outage = false;
  }
  if (message.type === 'exit') {
    server.close();
    process.exit(0);
  }
  process.send?.({ type: 'stats', id: message.id, stats: snapshot() });
});
process.on('disconnect', () => process.exit(0));
