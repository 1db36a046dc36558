/**
 * The benchmark's receiving server, run as a separate child process so its CPU is not charged to
 * the client. Counts events per request for each protocol and can play an outage (503).
 * Control: IPC from the parent ({type:'outage'|'reset'|'exit'}) or HTTP from a client child
 * (GET /__stats, POST /__outage/on|off, POST /__reset).
 */
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

const protocols = ['tinker', 'posthog', 'segment', 'otlp'];
const fresh = () => Object.fromEntries(protocols.map((p) => [p, { received: 0, duplicates: 0, requests: 0, refused: 0, seen: new Set() }]));
let counters = fresh();
let outage = false;

/** Which protocol a path speaks, and how to find its events and their ids. */
function route(path) {
  if (path === '/api/v1/telemetry') return { name: 'tinker', events: (b) => b.events, id: (e) => e.event_id };
  if (path.startsWith('/batch')) return { name: 'posthog', events: (b) => b.batch, id: (e) => e.uuid };
  if (path === '/v1/batch') return { name: 'segment', events: (b) => b.batch, id: (e) => e.messageId };
  if (path === '/v1/logs') {
    return {
      name: 'otlp',
      events: (b) => (b.resourceLogs ?? []).flatMap((r) => (r.scopeLogs ?? []).flatMap((s) => s.logRecords ?? [])),
      id: () => undefined,
    };
  }
  return undefined;
}

const snapshot = () =>
  Object.fromEntries(protocols.map((p) => [p, { received: counters[p].received, duplicates: counters[p].duplicates, requests: counters[p].requests, refused: counters[p].refused }]));

/** Control endpoints, so a client child can poll counts without going through the parent. */
function control(path, res) {
  if (path === '/__stats') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(snapshot()));
  if (path === '/__outage/on' || path === '/__outage/off') outage = path.endsWith('/on');
  if (path === '/__reset') counters = fresh();
  res.writeHead(204).end();
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path.startsWith('/__')) {
    req.resume();
    req.on('end', () => control(path, res));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const target = route(path);
    if (target === undefined) {
      res.writeHead(404).end();
      return;
    }
    const counter = counters[target.name];
    counter.requests++;
    if (outage) {
      counter.refused++;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"outage"}');
      return;
    }
    try {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const events = target.events(JSON.parse(body.toString('utf8'))) ?? [];
      for (const event of events) {
        const id = target.id(event);
        if (id !== undefined && counter.seen.has(id)) counter.duplicates++;
        else {
          if (id !== undefined) counter.seen.add(id);
          counter.received++;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(target.name === 'tinker' ? '{"status":"accepted"}' : '{}');
    } catch (error) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    }
  });
});

server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));

process.on('message', (message) => {
  if (message.type === 'outage') outage = message.on;
  if (message.type === 'reset') counters = fresh();
  if (message.type === 'exit') process.exit(0);
  process.send({ type: 'stats', stats: snapshot() });
});
