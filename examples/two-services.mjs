// Two HTTP services passing a trace: `orders` calls `stock` through an instrumented fetch. Each runs
// its handler under traceRequests, which continues the caller's W3C traceparent with a server
// span; the fetch sends the trace on from a client span. The receiver ends up with one trace:
// orders' server span → its client span → stock's server span. (Two reporters in one process here,
// as two services would have; spec/e2e/two-process-trace.spec.ts runs them as two processes.)
// Run by CI against the embedded receiver (scripts/run-examples.mjs).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createReporter, instrumentFetch, startReceiver, traceRequests } from 'rxtel';

const receiver = await startReceiver({ port: 0, host: '127.0.0.1' }); // your backend, in real life
const options = { endpoint: receiver.url, enabled: true, attachEvents: false };

/** One service: its reporter, its server, and a way to wait for the responses it has given. */
async function service(name, handler) {
  const reporter = createReporter(options);
  const answered = [];
  const server = createServer(traceRequests(reporter, (req, res) => handler(reporter, req, res)));
  server.on('request', (_req, res) => answered.push(once(res, 'close'))); // after the wrapper's: its span has ended
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${server.address().port}`;
  const stop = async () => {
    await Promise.all(answered);
    server.close();
    return reporter.stop(5_000);
  };
  return { reporter, url, stop };
}

const stock = await service('stock', (reporter, _req, res) => {
  reporter.log('stock.checked', { sku: 'A-1', left: 3 }); // carries the trace: inside the server span
  res.end('3');
});
const orders = await service('orders', async (reporter, _req, res) => {
  const call = instrumentFetch(fetch, { sessionId: reporter.sessionId, reporter });
  const left = await (await call(`${stock.url}/stock/A-1`)).text();
  reporter.log('order.placed', { sku: 'A-1', left: Number(left) });
  res.end('placed');
});

const answer = await fetch(`${orders.url}/orders`, { method: 'POST' });
assert.equal(await answer.text(), 'placed');
assert.equal(await stock.stop(), true);
assert.equal(await orders.stop(), true);
await receiver.close();

const spans = receiver.events.filter((e) => e.event === 'GENERIC_EVENT' && e.event_name === 'span');
const traces = new Set(spans.map((s) => s.event_data.trace_id));
assert.equal(spans.length, 3, `expected 3 spans, got ${spans.length}`);
assert.equal(traces.size, 1, 'the spans are not one trace');
const logs = receiver.events.filter((e) => e.event === 'GENERIC_EVENT' && e.event_name !== 'span');
assert.ok(logs.every((e) => traces.has(e.event_data.trace_id)), 'a log left the trace');
console.log(`two services: one trace of ${spans.length} spans, ${logs.length} logs in it`);
