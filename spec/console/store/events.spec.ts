import { afterEach, describe, expect, it } from '@jest/globals';
import type { IncomingEvent } from '../../../src/console/model.js';
import type { ConsoleStore } from '../../../src/console/store-api.js';
import { incoming, many, openStore, storeDirs } from '../../helpers/console-store.js';

const dirs = storeDirs();
afterEach(() => dirs.cleanup());

const ids = (page: { events: readonly { id: string }[] } | undefined) => page?.events.map((e) => e.id);

/** A session `s` with a mix: every 3rd a WARNING, every 10th an ERROR exception named `db.timeout`, the rest `app.event`. */
async function mixed(count: number): Promise<ConsoleStore> {
  const store = await openStore(dirs.make());
  const events: IncomingEvent[] = Array.from({ length: count }, (_, i) =>
    i % 10 === 0
      ? incoming(`e${i}`, { kind: 'exception', severity: 'ERROR', name: 'db.timeout', exception: { chain: [{ type: 'TimeoutError', message: `query ${i} timed out`, stack: '    at Pool.query (db.js:1:1)' }] } })
      : incoming(`e${i}`, { severity: i % 3 === 0 ? 'WARNING' : 'INFO' }),
  );
  for (let i = 0; i < count; i += 25) await store.append('s', {}, events.slice(i, i + 25));
  return store;
}

describe('events', () => {
  it('pages through a session in order, with the total', async () => {
    const store = await mixed(100);
    const page = await store.events('s', {}, 40, 5);
    expect(page).toMatchObject({ total: 100, offset: 40 });
    expect(page?.events.map((e) => e.seq)).toEqual([40, 41, 42, 43, 44]);
    expect((await store.events('s', {}, 98, 5))?.events.map((e) => e.seq)).toEqual([98, 99]);
    expect((await store.events('s', {}, 200, 5))?.events).toEqual([]);
    await expect(store.events('nobody', {}, 0, 5)).resolves.toBeUndefined();
    await store.close();
  });

  it('filters by severity, kind and name (a substring, case-insensitively), together', async () => {
    const store = await mixed(100);
    const errors = await store.events('s', { severities: ['ERROR'] }, 0, 3);
    expect(errors).toMatchObject({ total: 10 });
    expect(ids(errors)).toEqual(['e0', 'e10', 'e20']);
    expect((await store.events('s', { severities: ['WARNING', 'ERROR'] }, 0, 1000))?.total).toBe(10 + 30);
    expect((await store.events('s', { kinds: ['exception'] }, 0, 1))?.total).toBe(10);
    expect((await store.events('s', { name: 'TIMEOUT' }, 0, 1))?.total).toBe(10);
    expect((await store.events('s', { name: 'timeout', severities: ['INFO'] }, 0, 1))?.total).toBe(0);
    expect((await store.events('s', { severities: [], kinds: [] }, 0, 1))?.total).toBe(100);
    await store.close();
  });

  it('searches text in name, message, data, the exception chain and ids, case-insensitively', async () => {
    const store = await openStore(dirs.make());
    await store.append('s', {}, [
      incoming('e0', { name: 'Checkout.Done' }),
      incoming('e1', { message: 'payment declined' }),
      incoming('e2', { data: { card: 'VISA', note: 'say "hi"' } }),
      incoming('e3', { kind: 'exception', exception: { chain: [{ type: 'Outer', message: 'wrapped' }, { type: 'Inner', message: 'root cause', stack: '    at pay (pay.js:9:1)' }] } }),
      incoming('e4', { trace_id: 'abcdef0123', span_id: '77aa' }),
      incoming('needle-id5'),
    ]);
    const search = async (text: string) => ids(await store.events('s', { text }, 0, 10));
    expect(await search('checkout')).toEqual(['e0']);
    expect(await search('DECLINED')).toEqual(['e1']);
    expect(await search('visa')).toEqual(['e2']);
    expect(await search('"card":')).toEqual(['e2']); // data is searched as JSON
    expect(await search('say "hi"')).toEqual(['e2']); // a quote as typed
    expect(await search('pay.js')).toEqual(['e3']);
    expect(await search('root cause')).toEqual(['e3']);
    expect(await search('ABCDEF')).toEqual(['e4']);
    expect(await search('77AA')).toEqual(['e4']);
    expect(await search('needle')).toEqual(['needle-id5']);
    // What only the JSON around the fields holds is no match.
    expect(await search('severity')).toEqual([]);
    expect(await search('"info"')).toEqual([]);
    expect(await search('tinker')).toEqual([]);
    await store.close();
  });

  it('does not take a JSON escape for the text it stands for', async () => {
    const store = await openStore(dirs.make());
    await store.append('s', {}, [incoming('e0', { message: 'one\ntwo\ttab' }), incoming('e1', { message: 'a backslash-n: \\n' })]);
    expect(ids(await store.events('s', { text: '\\n' }, 0, 10))).toEqual(['e1']);
    expect(ids(await store.events('s', { text: 'one\ntwo' }, 0, 10))).toEqual(['e0']);
    expect(ids(await store.events('s', { text: 'ntwo' }, 0, 10))).toEqual([]);
    await store.close();
  });

  it('filters by trace id, alone or with text and severity, and pages the matches', async () => {
    const store = await openStore(dirs.make());
    await store.append(
      's',
      {},
      Array.from({ length: 30 }, (_, i) => incoming(`e${i}`, { trace_id: i % 3 === 0 ? 'T-1' : 'T-2', severity: i % 2 === 0 ? 'ERROR' : 'INFO', message: `m${i}` })),
    );
    expect(await store.events('s', { trace_id: 't-1' }, 0, 100)).toMatchObject({ total: 10 });
    const page = await store.events('s', { trace_id: 'T-1', severities: ['ERROR'] }, 1, 2);
    expect(page).toMatchObject({ total: 5, offset: 1 });
    expect(ids(page)).toEqual(['e6', 'e12']);
    expect(ids(await store.events('s', { trace_id: 'T-1', text: 'm2' }, 0, 100))).toEqual(['e21', 'e24', 'e27']);
    await store.close();
  });

  it('reads one event by seq', async () => {
    const store = await mixed(30);
    expect(await store.event('s', 20)).toMatchObject({ seq: 20, id: 'e20', kind: 'exception' });
    expect(await store.event('s', 30)).toBeUndefined();
    expect(await store.event('s', -1)).toBeUndefined();
    expect(await store.event('s', 1.5)).toBeUndefined();
    expect(await store.event('nobody', 0)).toBeUndefined();
    await store.close();
  });

  it('answers with what every resolved append wrote, and nothing half-written', async () => {
    const store = await openStore(dirs.make());
    await store.append('s', {}, many(10));
    expect((await store.events('s', {}, 0, 100))?.total).toBe(10);
    const writing = store.append('s', {}, many(10, 10));
    const during = await store.events('s', {}, 0, 100);
    expect([10, 20]).toContain(during?.total);
    expect(during?.events).toHaveLength(during!.total);
    await writing;
    expect((await store.events('s', {}, 0, 100))?.total).toBe(20);
    await store.close();
  });
});

describe('histogram, names and traces', () => {
  it('counts per severity in equal buckets over the session, with filters', async () => {
    const store = await openStore(dirs.make());
    // ts 1000…1099: every 10th an ERROR.
    await store.append('s', {}, Array.from({ length: 100 }, (_, i) => incoming(`e${i}`, { ts: 1000 + i, severity: i % 10 === 0 ? 'ERROR' : 'INFO' })));
    const h = await store.histogram('s', {}, 10);
    expect(h).toMatchObject({ start_ms: 1000, bucket_ms: 9.9 }); // 99 ms from first to last, in 10
    expect(h?.counts.INFO).toEqual(new Array(10).fill(9));
    expect(h?.counts.ERROR).toEqual(new Array(10).fill(1));
    expect(h?.counts.DEBUG).toEqual(new Array(10).fill(0));
    const errors = await store.histogram('s', { severities: ['ERROR'] }, 2);
    expect(errors).toMatchObject({ bucket_ms: 49.5, counts: { ERROR: [5, 5], INFO: [0, 0] } });
    const text = await store.histogram('s', { text: 'e9' }, 1);
    expect(text?.counts.INFO).toEqual([10]); // e9, e91…e99 (e90 is an ERROR)
    expect(text?.counts.ERROR).toEqual([1]);
    await expect(store.histogram('nobody', {}, 10)).resolves.toBeUndefined();
    await store.close();
  });

  it('spans a session of 1 ms with the buckets asked for (first and last bucket), and gives one instant bucket_ms 1', async () => {
    const store = await openStore(dirs.make());
    await store.append('s', {}, [incoming('e0'), incoming('e1')]);
    const h = await store.histogram('s', {}, 120);
    expect(h?.bucket_ms).toBeCloseTo(1 / 120, 12);
    expect(h?.counts.INFO).toHaveLength(120);
    expect([h?.counts.INFO[0], h?.counts.INFO[119]]).toEqual([1, 1]);
    await store.append('one', {}, [incoming('o1', { ts: 5000 }), incoming('o2', { ts: 5000 })]);
    const instant = await store.histogram('one', {}, 120);
    expect(instant?.bucket_ms).toBe(1);
    expect(instant?.counts.INFO[0]).toBe(2);
    await store.close();
  });

  it('counts names, most frequent first', async () => {
    const store = await mixed(30);
    await expect(store.names('s')).resolves.toEqual([
      { name: 'app.event', count: 27 },
      { name: 'db.timeout', count: 3 },
    ]);
    await expect(store.names('nobody')).resolves.toBeUndefined();
    await store.close();
  });

  it('lists traces from spans and LLM events: root, duration, span and error counts, earliest first', async () => {
    const store = await openStore(dirs.make());
    const span = (id: string, trace: string, spanId: string, start: number, end: number, extra: { parent?: string; status?: string; name?: string; kind?: 'span' | 'llm' } = {}) =>
      incoming(id, {
        kind: extra.kind ?? 'span',
        name: extra.name ?? spanId,
        trace_id: trace,
        span_id: spanId,
        span: { trace_id: trace, span_id: spanId, start_ms: start, end_ms: end, status: extra.status ?? 'ok', ...(extra.parent ? { parent_span_id: extra.parent } : {}) },
      });
    await store.append('s', {}, [
      span('e1', 'B', 'b-child', 510, 520, { parent: 'b-root' }),
      span('e2', 'A', 'a-db', 120, 180, { parent: 'a-root', status: 'error' }),
      span('e3', 'A', 'a-root', 100, 300, { name: 'GET /checkout' }),
      span('e4', 'A', 'a-llm', 190, 290, { parent: 'a-root', kind: 'llm', name: 'chat gpt-4o' }),
      // Its parent lives in another process: it is the root here.
      span('e5', 'B', 'b-root', 500, 600, { parent: 'remote', name: 'consume' }),
      incoming('e6', { trace_id: 'A' }), // a log in the trace, no span: not counted
      incoming('e7', { kind: 'llm', name: 'llm.generation' }), // an LLM event without a span
    ]);
    await expect(store.traces('s')).resolves.toEqual([
      { trace_id: 'A', name: 'GET /checkout', start_ms: 100, duration_ms: 200, spans: 3, errors: 1 },
      { trace_id: 'B', name: 'consume', start_ms: 500, duration_ms: 100, spans: 2, errors: 0 },
    ]);
    await store.append('s', {}, [span('e8', 'C', 'c', 50, 60)]);
    expect((await store.traces('s'))?.map((t) => t.trace_id)).toEqual(['C', 'A', 'B']);
    await expect(store.traces('nobody')).resolves.toBeUndefined();
    await store.close();
  });
});
