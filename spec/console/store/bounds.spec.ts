import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvictedSession } from '../../../src/console/store-api.js';
import { sessionFileName } from '../../../src/console/store/file-names.js';
import { many, openStore, sessionFiles, storeDirs } from '../../helpers/console-store.js';

const dirs = storeDirs();
afterEach(() => dirs.cleanup());

/** Events of about 1 KiB each on disk. */
const kib = (count: number, from = 0) => many(count, from, { data: { pad: 'x'.repeat(900) } });

describe('the size bound', () => {
  it('deletes the session received least recently, whole, when the store grows past maxBytes', async () => {
    const dir = dirs.make();
    let t = 0;
    const evicted: EvictedSession[] = [];
    const store = await openStore(dir, { maxBytes: 10_000, now: () => ++t, onEvict: (e) => evicted.push(e) });
    await store.append('old', {}, kib(3));
    await store.append('mid', {}, kib(3));
    await store.append('old', {}, kib(1, 3)); // now 'mid' is the least recently received
    const midBytes = store.session('mid')!.bytes;
    await store.append('new', {}, kib(4));
    expect(evicted).toEqual([{ id: 'mid', events: 3, bytes: midBytes }]);
    expect(store.sessions().map((s) => s.id)).toEqual(['new', 'old']);
    expect(sessionFiles(dir)).toEqual([sessionFileName('new'), sessionFileName('old')].sort());
    expect(store.info()).toMatchObject({ sessions: 2, events: 8, evicted_sessions: 1, evicted_events: 3 });
    expect(store.info().bytes).toBeLessThanOrEqual(10_000);
    await expect(store.events('mid', {}, 0, 10)).resolves.toBeUndefined();
    // Its ids are forgotten with it: sent again, they are a new session's events.
    await expect(store.append('mid', {}, kib(1))).resolves.toEqual({ stored: 1, duplicates: 0 });
    await store.close();
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { sessions: { summary: { id: string } }[] };
    expect(index.sessions.map((s) => s.summary.id).sort()).toEqual(['mid', 'new', 'old']);
  });

  it('keeps the session being written to even when it alone is over the bound', async () => {
    const dir = dirs.make();
    let t = 0;
    const evicted: string[] = [];
    const store = await openStore(dir, { maxBytes: 5_000, now: () => ++t, onEvict: (e) => evicted.push(e.id) });
    await store.append('a', {}, kib(2));
    await store.append('big', {}, kib(10));
    expect(evicted).toEqual(['a']);
    expect(store.sessions().map((s) => s.id)).toEqual(['big']);
    expect(store.info().bytes).toBeGreaterThan(5_000);
    await store.append('big', {}, kib(1, 10));
    expect(store.session('big')?.events).toBe(11);
    // The next session's first append makes 'big' the oldest other session.
    await store.append('c', {}, kib(1));
    expect(evicted).toEqual(['a', 'big']);
    await store.close();
  });

  it('survives an onEvict that throws', async () => {
    const store = await openStore(dirs.make(), {
      maxBytes: 3_000,
      onEvict: () => {
        throw new Error('listener bug');
      },
    });
    await store.append('a', {}, kib(2));
    await expect(store.append('b', {}, kib(2))).resolves.toEqual({ stored: 2, duplicates: 0 });
    expect(store.sessions().map((s) => s.id)).toEqual(['b']);
    await store.close();
  });

  it('evicts at open when the folder holds more than a smaller maxBytes allows', async () => {
    const dir = dirs.make();
    let t = 0;
    const first = await openStore(dir, { now: () => ++t });
    for (const id of ['a', 'b', 'c']) await first.append(id, {}, kib(3));
    await first.close();
    const evicted: string[] = [];
    const second = await openStore(dir, { maxBytes: 4_000, onEvict: (e) => evicted.push(e.id) });
    expect(evicted).toEqual(['a', 'b']);
    expect(second.sessions().map((s) => s.id)).toEqual(['c']);
    expect(existsSync(join(dir, 'sessions', sessionFileName('a')))).toBe(false);
    await second.close();
  });
});

describe('the memory bound', () => {
  it('gives up the row index of the least recently used sessions past maxIndexedEvents and reads it back when asked', async () => {
    const dir = dirs.make();
    const store = await openStore(dir, { maxIndexedEvents: 25 });
    await store.append('a', {}, many(10));
    await store.append('b', {}, many(10));
    expect(store.info().memory).toMatchObject({ indexed_events: 20, indexed_sessions: 2 });
    await store.append('c', {}, many(10)); // 30 > 25: 'a', used least recently, gives its index up
    expect(store.info().memory).toMatchObject({ indexed_events: 20, indexed_sessions: 2 });
    expect(store.info().memory?.row_index_bytes).toBeGreaterThan(0);
    const page = await store.events('a', { severities: ['INFO'] }, 5, 2);
    expect(page?.events.map((e) => e.id)).toEqual(['e5', 'e6']);
    expect(store.info().memory).toMatchObject({ indexed_events: 20, indexed_sessions: 2 }); // 'a' back, 'b' out
    await expect(store.names('b')).resolves.toEqual([{ name: 'app.event', count: 10 }]);
    expect(store.info().memory?.indexed_events).toBeLessThanOrEqual(25);
    await store.close();
  });

  it('keeps appending to a session whose row index was given up, and reads all of it back', async () => {
    const dir = dirs.make();
    const store = await openStore(dir, { maxIndexedEvents: 10 });
    await store.append('a', {}, many(8));
    await store.append('b', {}, many(8)); // 'a' out
    await store.append('a', {}, many(4, 8)); // appended without its index
    const page = await store.events('a', {}, 0, 100);
    expect(page?.events.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    await store.close();
  });

  it('keeps one session larger than the bound indexed while it is used', async () => {
    const store = await openStore(dirs.make(), { maxIndexedEvents: 5 });
    await store.append('a', {}, many(12));
    expect(store.info().memory).toMatchObject({ indexed_events: 12, indexed_sessions: 1 });
    expect((await store.events('a', {}, 10, 5))?.events.map((e) => e.seq)).toEqual([10, 11]);
    await store.close();
  });
});
