import { afterEach, describe, expect, it } from '@jest/globals';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isSessionFileName } from '../../../src/console/store/file-names.js';
import { incoming, many, openStore, sessionFiles, storeDirs } from '../../helpers/console-store.js';

const dirs = storeDirs();
afterEach(() => dirs.cleanup());

const HOSTILE_IDS = ['../../etc/passwd', '/abs/path', 'a/b\\c', '..', '.', 'nul\u0000byte', 'x'.repeat(10_000), '__proto__', 'constructor', 'lone \ud800 surrogate', 'lone \udfff other', 'CASE', 'case', '', 'otlp:my-service'];

describe('hostile input', () => {
  it('keeps every hostile session id apart, in files named safely inside sessions/, across a restart', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    for (const [i, id] of HOSTILE_IDS.entries()) await store.append(id, { service: id }, many(i + 1));
    // Nothing but the index (and its temporary while written), the lock and the sessions folder.
    expect(readdirSync(dir).filter((name) => !['index.json', 'index.json.tmp', 'console.lock', 'sessions'].includes(name))).toEqual([]);
    const files = sessionFiles(dir);
    expect(files).toHaveLength(HOSTILE_IDS.length);
    expect(files.every((name) => isSessionFileName(name) && name.length <= 210)).toBe(true);
    // Different case, different file (a case-insensitive disk must not merge them).
    expect(new Set(files.map((name) => name.toLowerCase())).size).toBe(HOSTILE_IDS.length);
    await store.close();

    for (const index of ['kept', 'lost']) {
      if (index === 'lost') rmSync(join(dir, 'index.json'));
      const again = await openStore(dir);
      for (const [i, id] of HOSTILE_IDS.entries()) {
        expect(again.session(id)).toMatchObject({ id, events: i + 1 });
        expect(again.session(id)?.service).toBe(id === '' ? undefined : id); // an empty fact is no fact
        expect((await again.events(id, {}, 0, 100))?.events.map((e) => e.session)).toEqual(new Array(i + 1).fill(id));
      }
      expect(again.sessions()).toHaveLength(HOSTILE_IDS.length);
      await again.close();
    }
  });

  it('stores hostile names and filters on them', async () => {
    const store = await openStore(dirs.make());
    const names = ['../x', '/etc/passwd', 'nul\u0000name', '__proto__', 'constructor', 'n'.repeat(10_000), '<script>alert(1)</script>'];
    await store.append('s', {}, names.map((name, i) => incoming(`e${i}`, { name })));
    await expect(store.names('s')).resolves.toEqual(expect.arrayContaining(names.map((name) => ({ name, count: 1 }))));
    expect((await store.events('s', { name: '__PROTO__' }, 0, 10))?.events.map((e) => e.name)).toEqual(['__proto__']);
    expect((await store.events('s', { name: '\u0000' }, 0, 10))?.events.map((e) => e.id)).toEqual(['e2']);
    expect((await store.events('s', { text: 'nnnnnnnnnn' }, 0, 10))?.events.map((e) => e.id)).toEqual(['e5']);
    expect((await store.events('s', {}, 0, 10))?.events.map((e) => e.name)).toEqual(names);
    await store.close();
  });

  it('keeps a __proto__ key in data as data: no prototype is touched, nothing is lost', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    const data = JSON.parse('{"__proto__":{"polluted":"yes"},"nested":{"__proto__":{"deep":1}},"constructor":{"prototype":{"x":1}}}') as Record<string, unknown>;
    const client = JSON.parse('{"__proto__":{"service":"evil"},"sdk":"rxtel"}') as Record<string, unknown>;
    await store.append('s', client, [incoming('e0', { data, name: '__proto__' }), incoming('__proto__')]);
    // The same id again is a duplicate, even one named like a prototype key.
    await expect(store.append('s', {}, [incoming('__proto__')])).resolves.toEqual({ stored: 0, duplicates: 1 });
    await store.close();
    const again = await openStore(dir);
    const [event, second] = (await again.events('s', {}, 0, 10))!.events;
    expect(Object.hasOwn(event!.data!, '__proto__')).toBe(true);
    expect(JSON.stringify(event!.data)).toBe(JSON.stringify(data));
    expect(Object.getPrototypeOf(event!.data)).toBe(Object.prototype);
    expect(second!.id).toBe('__proto__');
    expect(again.session('s')).toMatchObject({ sdk: 'rxtel' });
    expect(again.session('s')?.service).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['deep']).toBeUndefined();
    expect((await again.events('s', { text: 'polluted' }, 0, 10))?.total).toBe(1);
    await again.close();
  });

  it('stores a 1 MB string in data, reads it back whole, and finds text at its end', async () => {
    const store = await openStore(dirs.make());
    const big = `${'é'.repeat(500_000)}NEEDLE`;
    await store.append('s', {}, [incoming('e0'), incoming('e1', { data: { big } }), incoming('e2')]);
    const page = await store.events('s', {}, 0, 10);
    expect(page?.events.map((e) => e.id)).toEqual(['e0', 'e1', 'e2']);
    expect(page?.events[1]?.data?.['big']).toBe(big);
    expect((await store.events('s', { text: 'needle' }, 0, 10))?.events.map((e) => e.id)).toEqual(['e1']);
    expect(await store.event('s', 2)).toMatchObject({ id: 'e2' });
    expect(store.session('s')?.bytes).toBeGreaterThan(1_000_000);
    await store.close();
  });

  it('stores data that cannot be JSON as a note instead of throwing', async () => {
    const store = await openStore(dirs.make());
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    await store.append('s', {}, [incoming('e0', { data: cyclic }), incoming('e1', { data: { n: 10n } as never })]);
    const events = (await store.events('s', {}, 0, 10))!.events;
    expect(events.map((e) => Object.keys(e.data ?? {}))).toEqual([['stored_without_data'], ['stored_without_data']]);
    await store.close();
  });
});
