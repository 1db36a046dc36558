// An HTTP service: every request runs under traceRequests, which continues the caller's W3C
// traceparent with a server span (the HTTP semantic-convention attributes) and makes it the active
// context; withContext adds the request's id, so events logged anywhere below carry both without a
// reporter passed down. Run by CI against the embedded receiver (scripts/run-examples.mjs).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createReporter, startReceiver, traceRequests } from 'rxtel';

const receiver = await startReceiver({ port: 0, host: '127.0.0.1' }); // your backend, in real life
const reporter = createReporter({ endpoint: receiver.url, enabled: true, attachEvents: false });

async function loadUser(id) {
  await new Promise((resolve) => setTimeout(resolve, 5)); // a database, say
  reporter.log('user.loaded', { id }); // no ids passed: the context brings them
  return { id, name: 'Ada' };
}

const server = createServer(
  traceRequests(reporter, (req, res) =>
    reporter.withContext({ correlationId: String(req.headers['x-request-id'] ?? 'none') }, async () => {
      const user = await loadUser(req.url.split('/').pop());
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(user));
    }),
  ),
);
const answered = [];
server.on('request', (_req, res) => answered.push(once(res, 'close')));
server.listen(0, '127.0.0.1');
await once(server, 'listening');

// A caller that is part of a trace already.
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const answer = await fetch(`http://127.0.0.1:${server.address().port}/users/42`, {
  headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'req-7' },
});
assert.deepEqual(await answer.json(), { id: '42', name: 'Ada' });
await Promise.all(answered);
server.close();
assert.equal(await reporter.stop(5_000), true);
await receiver.close();

const generic = receiver.events.filter((e) => e.event === 'GENERIC_EVENT');
const span = generic.find((e) => e.event_name === 'span');
const loaded = generic.find((e) => e.event_name === 'user.loaded');
assert.equal(span?.event_data.trace_id, traceId, 'the server span did not continue the caller’s trace');
assert.equal(span?.event_data.parent_span_id, '00f067aa0ba902b7');
assert.equal(span?.event_data.kind, 'server');
assert.equal(span?.event_data.attributes['http.response.status_code'], 200);
assert.equal(span?.event_data.attributes['url.path'], '/users/42');
assert.equal(loaded?.event_data.correlation_id, 'req-7');
assert.equal(loaded?.event_data.trace_id, traceId);
console.log(`http service: server span in trace ${traceId.slice(0, 8)}…, the log deep below carries the request id and the trace`);
