import { afterEach, describe, expect, it } from '@jest/globals';
import { EventEmitter, once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createReporter } from '../../src/create-reporter.js';
import { activeContext } from '../../src/reporter/context.js';
import type { Reporter } from '../../src/reporter/types.js';
import { InMemorySink } from '../../src/sinks/in-memory-sink.js';
import type { GenericEvent } from '../../src/events/wire.js';

/** A real reporter into memory; `sent()` flushes and answers its GENERIC_EVENTs' name and data. */
function setup() {
  const sink = new InMemorySink();
  const reporter = createReporter({ sinks: [sink], flushIntervalMs: 0, attachEvents: false });
  reporters.push(reporter);
  const sent = async () => {
    await reporter.flush();
    return sink.events.filter((e): e is GenericEvent => e.event === 'GENERIC_EVENT').map((e) => ({ name: e.event_name, data: e.event_data }));
  };
  return { reporter, sent };
}
const reporters: Reporter[] = [];
afterEach(async () => {
  await Promise.all(reporters.splice(0).map((r) => r.stop()));
});

const span = (events: { name: string; data: Record<string, unknown> }[], name: string) =>
  events.find((e) => e.name === 'span' && e.data['name'] === name)!.data;

describe('reporter.withContext', () => {
  it('carries the ids across await, a timer and an event emitter, and only inside', async () => {
    const { reporter, sent } = setup();
    const emitter = new EventEmitter();
    emitter.on('job', () => reporter.log('from.listener'));
    const result = await reporter.withContext({ correlationId: 'req-1' }, async () => {
      reporter.log('sync', { a: 1 });
      await Promise.resolve();
      reporter.log('after.await');
      await sleep(1); // the timer's own promise: deterministic
      reporter.log('after.timer');
      emitter.emit('job');
      reporter.track({ type: 'tool_called', tool: 'search', latency_ms: 5, success: true });
      return 'done';
    });
    reporter.log('outside');
    expect(result).toBe('done');
    const events = await sent();
    const byName = new Map(events.map((e) => [e.name, e.data]));
    expect(byName.get('sync')).toEqual({ a: 1, correlation_id: 'req-1' });
    for (const name of ['after.await', 'after.timer', 'from.listener', 'llm.tool.called']) expect(byName.get(name)).toMatchObject({ correlation_id: 'req-1' });
    expect(byName.get('outside')).toEqual({});
  });

  it('keeps concurrent contexts apart', async () => {
    const { reporter, sent } = setup();
    const job = (id: string, ms: number) =>
      reporter.withContext({ correlationId: id }, async () => {
        await sleep(ms);
        reporter.log('job', { id });
      });
    await Promise.all([job('a', 3), job('b', 1)]);
    const events = await sent();
    for (const { data } of events) expect(data['correlation_id']).toBe(data['id']);
  });

  it('nests: inner ids add to and override outer ones; activeContext reads them', () => {
    const { reporter } = setup();
    expect(activeContext()).toBeUndefined();
    reporter.withContext({ correlationId: 'c', turnId: 't1' }, () => {
      reporter.withContext({ turnId: 't2' }, () => expect(activeContext()).toEqual({ correlationId: 'c', turnId: 't2' }));
      expect(activeContext()).toEqual({ correlationId: 'c', turnId: 't1' });
    });
  });

  it('composes with views: view ids and context ids; the view wins on a conflict', async () => {
    const { reporter, sent } = setup();
    const view = reporter.with({ turnId: 'view-turn' });
    reporter.withContext({ correlationId: 'ctx', turnId: 'ctx-turn' }, () => view.log('x'));
    view.withContext({ correlationId: 'c2' }, () => reporter.log('y'));
    const [x, y] = await sent();
    expect(x!.data).toEqual({ correlation_id: 'ctx', turn_id: 'view-turn' });
    // withContext on a view puts the view's ids into the context too.
    expect(y!.data).toEqual({ correlation_id: 'c2', turn_id: 'view-turn' });
  });

  it('user_error exceptions carry the ids', async () => {
    const { reporter, sent } = setup();
    const error = Object.assign(new Error('bad request'), { status: 400 });
    reporter.withContext({ correlationId: 'req-9' }, () => reporter.logException(error));
    const [event] = await sent();
    expect(event).toMatchObject({ name: 'user_error', data: { correlation_id: 'req-9' } });
  });
});

describe('spans in a context', () => {
  it('a span started inside span.run nests under it, across await; events carry trace_id and span_id', async () => {
    const { reporter, sent } = setup();
    const root = reporter.startSpan('request', { kind: 'server' });
    await root.run(async () => {
      await sleep(1);
      const child = reporter.startSpan('db.query');
      reporter.log('inside');
      await child.run(async () => {
        await Promise.resolve();
        reporter.startSpan('grandchild').end();
      });
      child.end({ status: 'ok' });
    });
    root.end();
    const events = await sent();
    const [rootData, childData, grandchild] = [span(events, 'request'), span(events, 'db.query'), span(events, 'grandchild')];
    expect(rootData).toMatchObject({ trace_id: root.traceId, span_id: root.spanId, kind: 'server' });
    expect(rootData).not.toHaveProperty('parent_span_id');
    expect(childData).toMatchObject({ trace_id: root.traceId, parent_span_id: root.spanId });
    expect(childData).not.toHaveProperty('kind');
    expect(grandchild).toMatchObject({ trace_id: root.traceId, parent_span_id: childData['span_id'] });
    expect(events.find((e) => e.name === 'inside')!.data).toEqual({ trace_id: root.traceId, span_id: root.spanId });
  });

  it('explicit trace options win over the active span; a context traceId of another trace starts afresh', () => {
    const { reporter } = setup();
    const root = reporter.startSpan('root');
    const other = '4bf92f3577b34da6a3ce929d0e0e4736';
    root.run(() => {
      expect(reporter.startSpan('x', { traceId: other }).traceId).toBe(other);
      expect(reporter.startSpan('x', { traceId: other }).parentSpanId).toBeUndefined();
      reporter.withContext({ traceId: other }, () => {
        expect(reporter.startSpan('y')).toMatchObject({ traceId: other, parentSpanId: undefined });
      });
      reporter.withContext({ correlationId: 'c' }, () => expect(reporter.startSpan('z').parentSpanId).toBe(root.spanId));
    });
  });

  it('a span from a view carries the view’s ids, and keeps its own trace and span ids', async () => {
    const { reporter, sent } = setup();
    const view = reporter.with({ correlationId: 'req-7', turnId: 't-3', traceId: '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10' });
    const s = view.startSpan('llm.call');
    s.end();
    const data = span(await sent(), 'llm.call');
    expect(data).toMatchObject({ correlation_id: 'req-7', turn_id: 't-3', trace_id: s.traceId, span_id: s.spanId });
  });

  it('a span ended outside its context keeps the ids of where it started', async () => {
    const { reporter, sent } = setup();
    const s = reporter.withContext({ correlationId: 'c' }, () => reporter.startSpan('late'));
    s.end();
    expect(span(await sent(), 'late')).toMatchObject({ correlation_id: 'c' });
  });

  it('a listener registered in a context and emitted from inside it sees the span', async () => {
    const { reporter } = setup();
    const emitter = new EventEmitter();
    const root = reporter.startSpan('root');
    const seen = root.run(() => {
      const got = once(emitter, 'tick').then(() => activeContext());
      emitter.emit('tick');
      return got;
    });
    expect(await seen).toEqual({ traceId: root.traceId, spanId: root.spanId });
  });
});

describe('what the caller passes cannot throw into the application', () => {
  const trap = () => new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });

  it('withContext, with, startSpan and end read ids and options defensively: the work still runs, the events still go', async () => {
    const { reporter, sent } = setup();
    let ran = 0;
    expect(reporter.withContext(trap() as never, () => ++ran)).toBe(1);
    expect(reporter.withContext({ correlationId: 42 as never, turnId: {} as never }, () => reporter.log('coerced'))).toBe(true);
    expect(reporter.with(trap() as never).log('from.view')).toBe(true);
    const span = reporter.startSpan('hostile.options', trap() as never);
    expect(span.end(trap() as never)).toBe(true);
    const attrs = reporter.startSpan('hostile.attributes', { attributes: trap() as never });
    expect(attrs.end({ attributes: trap() as never })).toBe(true);

    const events = await sent();
    expect(events.find((e) => e.name === 'coerced')?.data).toEqual({ correlation_id: '42' });
    expect(events.find((e) => e.name === 'from.view')?.data).toEqual({});
    expect(events.filter((e) => e.name === 'span').map((e) => e.data['name'])).toEqual(['hostile.options', 'hostile.attributes']);
  });

  it('data whose keys cannot be listed, logged with ids, is delivered repaired with them, as without ids', async () => {
    const { reporter, sent } = setup();
    expect(reporter.with({ correlationId: 'c1' }).log('hostile.data', trap())).toBe(true);
    expect(reporter.withContext({ turnId: 't1' }, () => reporter.log('hostile.in.context', trap()))).toBe(true);
    const events = await sent();
    expect(events.find((e) => e.name === 'hostile.data')?.data).toMatchObject({ correlation_id: 'c1' });
    expect(events.find((e) => e.name === 'hostile.in.context')?.data).toMatchObject({ turn_id: 't1' });
    expect(reporter.stats().dropped.invalid).toBe(0);
  });
});
