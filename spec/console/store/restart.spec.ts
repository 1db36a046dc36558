import { afterEach, describe, expect, it } from '@jest/globals';
import { appendFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sessionFileName } from '../../../src/console/store/file-names.js';
import { fileLines, incoming, many, openStore, sessionFiles, storeDirs } from '../../helpers/console-store.js';

const dirs = storeDirs();
afterEach(() => dirs.cleanup());

const fileOf = (dir: string, id: string) => join(dir, 'sessions', sessionFileName(id));
const indexOf = (dir: string) => join(dir, 'index.json');

/** A folder whose store held `a` (3 events, with client facts) and `b` (2 events), closed cleanly. */
async function twoSessions() {
  const dir = dirs.make();
  const store = await openStore(dir);
  await store.append('a', { service: 'api', sdk: 'rxtel 0.1.0' }, many(3));
  await store.append('b', { platform: 'linux/x64' }, [incoming('e1'), incoming('e2', { kind: 'session_end', name: 'SESSION_END' })]);
  const summaries = store.sessions();
  await store.close();
  return { dir, summaries };
}

describe('after a restart', () => {
  it('reads the index and no file when the index matches them, and numbering goes on', async () => {
    const { dir, summaries } = await twoSessions();
    const store = await openStore(dir);
    expect(store.sessions()).toEqual(summaries);
    expect(store.info().recovery).toEqual({ index: 'ok', scanned_files: 0, torn_lines: 0, torn_bytes: 0, unreadable_lines: 0, dropped_entries: 0, removed_files: 0 });
    await store.append('a', {}, many(2, 10));
    expect((await store.events('a', {}, 0, 10))?.events.map((e) => `${e.seq}:${e.id}`)).toEqual(['0:e0', '1:e1', '2:e2', '3:e10', '4:e11']);
    await store.close();
  });

  it('reads the tail of a file longer than the index says (a crash after the write, before the index)', async () => {
    const { dir } = await twoSessions();
    const oldIndex = readFileSync(indexOf(dir));
    const second = await openStore(dir, { now: () => 1_700_000_005_000 });
    await second.append('a', {}, [incoming('e7', { severity: 'ERROR', ts: 9000 })]);
    const expected = second.session('a');
    await second.close();
    writeFileSync(indexOf(dir), oldIndex); // as if the process died before writing the index

    const third = await openStore(dir);
    expect(third.session('a')).toEqual(expected);
    expect(third.session('a')).toMatchObject({ events: 4, last_ms: 9000, received_ms: 1_700_000_005_000, service: 'api' });
    expect(third.info().recovery).toMatchObject({ index: 'ok', scanned_files: 1, torn_lines: 0 });
    await third.append('a', {}, many(1, 20));
    expect(fileLines(fileOf(dir, 'a')).map((l) => l['seq'])).toEqual([0, 1, 2, 3, 4]);
    await third.close();
  });

  it('cuts off a torn last line (a crash mid-write), counts it, and appends after the last whole line', async () => {
    const { dir, summaries } = await twoSessions();
    const size = statSync(fileOf(dir, 'a')).size;
    appendFileSync(fileOf(dir, 'a'), '{"seq":3,"id":"e3","session":"a","ts":10');
    const store = await openStore(dir);
    expect(store.info().recovery).toMatchObject({ torn_lines: 1, torn_bytes: 40, scanned_files: 1 });
    expect(statSync(fileOf(dir, 'a')).size).toBe(size);
    expect(store.session('a')).toEqual(summaries.find((s) => s.id === 'a'));
    await store.append('a', {}, [incoming('e3')]);
    expect(fileLines(fileOf(dir, 'a')).map((l) => `${l['seq']}:${l['id']}`)).toEqual(['0:e0', '1:e1', '2:e2', '3:e3']);
    await store.close();
  });

  it('reads whole a file the index does not know, client facts included', async () => {
    const { dir } = await twoSessions();
    const oldIndex = readFileSync(indexOf(dir));
    const second = await openStore(dir);
    await second.append('new', { service: 'worker' }, many(4));
    const expected = second.session('new');
    await second.close();
    writeFileSync(indexOf(dir), oldIndex);

    const third = await openStore(dir);
    expect(third.session('new')).toEqual(expected);
    expect(third.session('new')).toMatchObject({ service: 'worker', events: 4 });
    expect(third.info().recovery).toMatchObject({ scanned_files: 1 });
    expect(third.sessions()).toHaveLength(3);
    await third.close();
  });

  it('drops an index entry whose file is gone', async () => {
    const { dir } = await twoSessions();
    rmSync(fileOf(dir, 'b'));
    const store = await openStore(dir);
    expect(store.sessions().map((s) => s.id)).toEqual(['a']);
    expect(store.info().recovery).toMatchObject({ dropped_entries: 1, scanned_files: 0 });
    expect(store.info()).toMatchObject({ sessions: 1, events: 3 });
    await store.close();
    const index = JSON.parse(readFileSync(indexOf(dir), 'utf8')) as { sessions: unknown[] };
    expect(index.sessions).toHaveLength(1);
  });

  it('reads every file whole when the index is missing, and again when it is corrupt', async () => {
    const { dir, summaries } = await twoSessions();
    rmSync(indexOf(dir));
    const first = await openStore(dir);
    expect(first.info().recovery).toMatchObject({ index: 'missing', scanned_files: 2 });
    expect(first.sessions()).toEqual(expect.arrayContaining([...summaries]));
    await first.close();

    writeFileSync(indexOf(dir), '{"version":1,"sessions":[{"file":');
    const second = await openStore(dir);
    expect(second.info().recovery).toMatchObject({ index: 'corrupt', scanned_files: 2 });
    expect(second.sessions()).toEqual(expect.arrayContaining([...summaries]));
    await second.close();

    writeFileSync(indexOf(dir), JSON.stringify({ version: 1, sessions: [{ file: 'x', bytes: -1 }] }));
    const third = await openStore(dir);
    expect(third.info().recovery).toMatchObject({ index: 'ok', dropped_entries: 1, scanned_files: 2 });
    expect(third.sessions()).toHaveLength(2);
    await third.close();
  });

  it('reads whole a file shorter than the index says', async () => {
    const { dir } = await twoSessions();
    const lines = readFileSync(fileOf(dir, 'a'), 'utf8').split('\n');
    writeFileSync(fileOf(dir, 'a'), `${lines[0]}\n`);
    const store = await openStore(dir);
    expect(store.session('a')).toMatchObject({ events: 1, service: 'api', bytes: Buffer.byteLength(`${lines[0]}\n`) });
    expect(store.info().recovery).toMatchObject({ scanned_files: 1 });
    await store.close();
  });

  it('skips and counts a line that is not an event, keeping the numbering of the others', async () => {
    const { dir } = await twoSessions();
    const lines = readFileSync(fileOf(dir, 'a'), 'utf8').split('\n');
    lines[1] = '{"not":"an event"}';
    writeFileSync(fileOf(dir, 'a'), lines.join('\n'));
    rmSync(indexOf(dir));
    const store = await openStore(dir);
    expect(store.info().recovery).toMatchObject({ unreadable_lines: 1 });
    expect(store.session('a')?.events).toBe(2);
    expect((await store.events('a', {}, 0, 10))?.events.map((e) => e.seq)).toEqual([0, 2]);
    expect(await store.event('a', 1)).toBeUndefined();
    await store.append('a', {}, many(1, 50));
    expect(await store.event('a', 3)).toMatchObject({ seq: 3, id: 'e50' });
    await store.close();
  });

  it('removes a file without one readable event, and ignores files that are not session files', async () => {
    const dir = dirs.make();
    await (await openStore(dir)).close();
    writeFileSync(join(dir, 'sessions', sessionFileName('ghost')), 'garbage\n');
    writeFileSync(join(dir, 'sessions', 'notes.txt'), 'mine');
    const store = await openStore(dir);
    expect(store.sessions()).toEqual([]);
    expect(store.info().recovery).toMatchObject({ removed_files: 1, unreadable_lines: 1 });
    expect(sessionFiles(dir)).toEqual(['notes.txt']);
    await store.close();
  });

  it('answers queries after a restart by reading the row index back from the file', async () => {
    const { dir } = await twoSessions();
    truncateSync(indexOf(dir), 0); // an empty index is a corrupt one
    const store = await openStore(dir);
    expect(store.info().memory?.indexed_events).toBe(0);
    expect((await store.events('b', { kinds: ['session_end'] }, 0, 10))?.events.map((e) => e.id)).toEqual(['e2']);
    expect(store.info().memory).toMatchObject({ indexed_events: 2, indexed_sessions: 1 });
    await store.close();
  });
});
