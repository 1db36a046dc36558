// A serverless function (Lambda, Vercel, Cloud Run): one reporter reused across invocations, each
// invocation's events delivered before its answer goes back, because between invocations the
// platform freezes the process and no timer runs. wrapHandler flushes what the invocation logged
// within flushBudgetMs and never holds the answer longer; a throw is logged and re-thrown.
// Run by CI against the embedded receiver (scripts/run-examples.mjs).
import assert from 'node:assert/strict';
import { createReporter, startReceiver } from 'rxtel';

const receiver = await startReceiver({ port: 0, host: '127.0.0.1' }); // your backend, in real life
// Created once, outside the handler, as a function's module scope is.
const reporter = createReporter({ endpoint: receiver.url, enabled: true, flushIntervalMs: 60_000 });

export const handler = reporter.wrapHandler(
  async (event) => {
    reporter.log('order.received', { order: event.order });
    if (event.order === 'bad') throw new Error('order bad: no items');
    return { statusCode: 200, body: `order ${event.order} accepted` };
  },
  { flushBudgetMs: 1_000 },
);

// The "platform": invocations one after another, nothing running in between (the freeze).
for (const order of ['o-1', 'o-2']) {
  const answer = await handler({ order });
  assert.equal(answer.statusCode, 200);
  const seen = receiver.events.filter((e) => e.event === 'GENERIC_EVENT' && e.event_data.order === order);
  assert.equal(seen.length, 1, `the events of ${order} were not delivered before its answer`);
}
await assert.rejects(handler({ order: 'bad' }), /no items/);
assert.ok(receiver.events.some((e) => e.event === 'UNHANDLED_EXCEPTION'), 'the exception was not delivered before the re-throw');

assert.equal(await reporter.stop(5_000), true);
await receiver.close();
console.log(`serverless: 3 invocations, ${receiver.events.length} events, each invocation's delivered before it answered`);
