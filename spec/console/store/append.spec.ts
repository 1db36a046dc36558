import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors/config-error.js';
import { sessionFileName } from '../../../src/console/store/file-names.js';
import { openConsoleStore } from '../../../src/console/store/open-store.js';
import { fileLines, incoming, many, openStore, sessionFiles, storeDirs } from '../../helpers/console-store.js';

const dirs = storeDirs();
afterEach(() => dirs.cleanup());

describe('append', () => {
  it('numbers events from 0 per session, in append order, and writes one line each to the session file', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    await expect(store.append('a', {}, many(3))).resolves.toEqual({ stored: 3, duplicates: 0 });
    await store.append('b', {}, many(2, 100));
    await store.append('a', {}, many(2, 3));
    expect(sessionFiles(dir)).toEqual([sessionFileName('a'), sessionFileName('b')].sort());
    const lines = fileLines(join(dir, 'sessions', sessionFileName('a')));
    expect(lines.map((l) => [l['seq'], l['id'], l['session']])).toEqual([0, 1, 2, 3, 4].map((i) => [i, `e${i}`, 'a']));
    const page = await store.events('b', {}, 0, 10);
    expect(page?.events.map((e) => [e.seq, e.id, e.session])).toEqual([
      [0, 'e100', 'b'],
      [1, 'e101', 'b'],
    ]);
    await store.close();
  });

  it('stamps each stored event with the store clock as received_ms', async () => {
    const dir = dirs.make();
    let t = 5_000;
    const store = await openStore(dir, { now: () => t });
    await store.append('a', {}, [incoming('e1', { received_ms: 1 })]);
    t = 6_000;
    await store.append('a', {}, [incoming('e2', { received_ms: 2 })]);
    expect((await store.events('a', {}, 0, 10))?.events.map((e) => e.received_ms)).toEqual([5_000, 6_000]);
    expect(store.session('a')?.received_ms).toBe(6_000);
    await store.close();
  });

  it('skips a duplicate: the same id in a later append or twice in one append, per session', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    await store.append('a', {}, many(3));
    await expect(store.append('a', {}, [...many(2, 2), incoming('e4'), incoming('e4'), incoming('e0')])).resolves.toEqual({ stored: 2, duplicates: 3 });
    // The same ids in another session are new events there.
    await expect(store.append('b', {}, many(3))).resolves.toEqual({ stored: 3, duplicates: 0 });
    expect((await store.events('a', {}, 0, 10))?.events.map((e) => `${e.seq}:${e.id}`)).toEqual(['0:e0', '1:e1', '2:e2', '3:e3', '4:e4']);
    expect(store.session('a')?.events).toBe(5);
    await store.close();
  });

  it('remembers dedupeWindow ids at most: a duplicate older than the window is stored again', async () => {
    const dir = dirs.make();
    const store = await openStore(dir, { dedupeWindow: 4 });
    await store.append('a', {}, many(6)); // e0, e1 already forgotten
    expect(store.info().memory?.remembered_ids).toBe(4);
    await expect(store.append('a', {}, many(6))).resolves.toEqual({ stored: 2, duplicates: 4 });
    await store.close();
  });

  it('never interleaves concurrent appends: 20 appends at once give whole lines, each append in one run', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    const batches = Array.from({ length: 20 }, (_, b) => many(50, b * 50, { data: { pad: 'x'.repeat(b * 40) } }));
    const results = await Promise.all(batches.map((batch) => store.append('a', {}, batch)));
    expect(results.every((r) => r.stored === 50)).toBe(true);
    const lines = fileLines(join(dir, 'sessions', sessionFileName('a')));
    expect(lines.map((l) => l['seq'])).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // Appends run in call order, so each batch's ids are one run.
    expect(lines.map((l) => l['id'])).toEqual(Array.from({ length: 1000 }, (_, i) => `e${i}`));
    await store.close();
  });

  it('creates no session for an append without events, but fills in client facts of one that exists', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    await expect(store.append('none', { service: 'x' }, [])).resolves.toEqual({ stored: 0, duplicates: 0 });
    expect(store.sessions()).toEqual([]);
    await store.append('a', {}, many(1));
    await store.append('a', { service: 'api' }, []);
    expect(store.session('a')?.service).toBe('api');
    await store.close();
  });

  it('close waits for pending appends, writes the index, is idempotent; append after close rejects', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    const pending = store.append('a', {}, many(100));
    const closed = store.close();
    expect(store.close()).toBe(closed);
    await closed;
    await expect(pending).resolves.toEqual({ stored: 100, duplicates: 0 });
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { sessions: { summary: { id: string; events: number } }[] };
    expect(index.sessions.map((s) => [s.summary.id, s.summary.events])).toEqual([['a', 100]]);
    await expect(store.append('a', {}, many(1))).rejects.toThrow('ConsoleStore is closed: append() after close()');
  });

  it('rejects an append whose file cannot be written, counts nothing of it, and goes on with the others', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    mkdirSync(join(dir, 'sessions', sessionFileName('blocked'))); // a folder where the file should go
    await expect(store.append('blocked', {}, many(2))).rejects.toThrow(/EISDIR/);
    expect(store.session('blocked')).toBeUndefined();
    await expect(store.append('a', {}, many(2))).resolves.toEqual({ stored: 2, duplicates: 0 });
    expect(store.info()).toMatchObject({ sessions: 1, events: 2 });
    await store.close();
  });

  it('writes the index soon after a new session, without waiting for close', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    await store.append('a', { service: 'api' }, many(1));
    while (!existsSync(join(dir, 'index.json'))) await new Promise((resolve) => setTimeout(resolve, 5));
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { sessions: { summary: { id: string; service: string } }[] };
    expect(index.sessions.map((s) => [s.summary.id, s.summary.service])).toEqual([['a', 'api']]);
    await store.close();
  });

  it('refuses bad options with a ConfigError naming the option', async () => {
    await expect(openConsoleStore({ dir: dirs.make(), maxBytes: 0 })).rejects.toThrow(ConfigError);
    await expect(openConsoleStore({ dir: dirs.make(), maxBytes: 0 })).rejects.toThrow(/maxBytes/);
    await expect(openConsoleStore({ dir: '' })).rejects.toThrow(/`dir`/);
    await expect(openConsoleStore({ dir: dirs.make(), maxIndexedEvent: 5 } as never)).rejects.toThrow(/did you mean `maxIndexedEvents`/);
  });
});

describe('onChange', () => {
  it('tells each listener about the session an append changed, once that append resolved', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    const heard: [string, number, number | undefined][] = [];
    const off = store.onChange((s) => heard.push([s.id, s.events, store.session(s.id)?.events]));
    store.onChange(() => {
      throw new Error('a broken listener');
    });
    store.onChange(() => Promise.reject(new Error('an async broken listener')));
    await store.append('a', {}, many(2));
    await store.append('b', {}, many(1));
    await store.append('a', {}, many(2)); // only duplicates: nothing changed
    off();
    await store.append('a', {}, many(1, 2));
    expect(heard).toEqual([
      ['a', 2, 2],
      ['b', 1, 1],
    ]);
    await store.close();
  });
});
