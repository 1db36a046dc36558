import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, openSpool, payload, pullAll, segmentFiles, tempDirs } from '../helpers/spool.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** Sinks a = bit 0, b = bit 1. */
const BOTH = 0b11;

describe('recovery of what an earlier owner left', () => {
  it('returns exactly the unreleased records, in order, with the sinks still owed', async () => {
    const dir = dirs.make();
    const first = openSpool(dir);
    const handles = Array.from({ length: 10 }, (_, i) => first.spool.append(payload(i), BOTH) as number);
    expect(handles.every((h) => typeof h === 'number')).toBe(true);
    // 0–3: released by both sinks; 4–5: only b still owes them; 6–9: both still owe them.
    for (const handle of handles.slice(0, 4)) {
      first.spool.done(handle, 'a');
      first.spool.done(handle, 'b');
    }
    for (const handle of handles.slice(4, 6)) first.spool.done(handle, 'a');
    await first.spool.close(); // a stop during an outage: the records stay on disk

    const second = openSpool(dir);
    await expect(second.spool.recover()).resolves.toEqual({ owners: 1, records: 6, corrupt: 0 });
    expect(second.spool.stats()).toMatchObject({ backlog: 6, unreleased: 6 });
    const records = await pullAll(second.spool);
    expect(records.map((r) => [r.payload, r.sinkMask])).toEqual([
      [payload(4), 0b10],
      [payload(5), 0b10],
      [payload(6), BOTH],
      [payload(7), BOTH],
      [payload(8), BOTH],
      [payload(9), BOTH],
    ]);
    expect(records.every((r) => r.handle < 0)).toBe(true);
    expect(second.spool.stats().backlog).toBe(0);
    await second.spool.close();
  });

  it('deletes a recovered owner once all its records are released, and a third process finds nothing', async () => {
    const dir = dirs.make();
    const first = openSpool(dir);
    for (let i = 0; i < 5; i++) first.spool.append(payload(i), BOTH);
    await first.spool.close();

    const second = openSpool(dir);
    await second.spool.recover();
    const records = await pullAll(second.spool);
    for (const record of records.slice(0, 3)) {
      second.spool.done(record.handle, 'a');
      second.spool.done(record.handle, 'b');
    }
    await second.spool.flush();
    expect(segmentFiles(dir)).toHaveLength(1); // two still owed
    for (const record of records.slice(3)) {
      second.spool.done(record.handle, 'a');
      second.spool.done(record.handle, 'b');
    }
    await second.spool.flush();
    expect(segmentFiles(dir)).toEqual([]);
    expect(second.spool.stats()).toMatchObject({ unreleased: 0, backlog: 0, segments: 0 });
    await second.spool.close();
    expect(filesUnder(dir)).toEqual([]);

    const third = openSpool(dir);
    await expect(third.spool.recover()).resolves.toEqual({ owners: 0, records: 0, corrupt: 0 });
    await third.spool.close();
  });

  it('keeps the progress of a claimant that stops again: the next one gets only what is still owed', async () => {
    const dir = dirs.make();
    const first = openSpool(dir);
    for (let i = 0; i < 6; i++) first.spool.append(payload(i), BOTH);
    await first.spool.close();

    const second = openSpool(dir);
    await second.spool.recover();
    const records = await pullAll(second.spool);
    for (const record of records.slice(0, 4)) second.spool.done(record.handle, 'a');
    await second.spool.close();

    const third = openSpool(dir);
    await expect(third.spool.recover()).resolves.toMatchObject({ owners: 1, records: 6 });
    const again = await pullAll(third.spool);
    expect(again.map((r) => r.sinkMask)).toEqual([0b10, 0b10, 0b10, 0b10, BOTH, BOTH]);
    await third.spool.close();
  });

  it('re-sends everything when the cursor file is gone: duplicates, never loss', async () => {
    const dir = dirs.make();
    const first = openSpool(dir);
    const handles = Array.from({ length: 6 }, (_, i) => first.spool.append(payload(i), BOTH) as number);
    await first.spool.flush();
    for (const handle of handles.slice(0, 4)) {
      first.spool.done(handle, 'a');
      first.spool.done(handle, 'b');
    }
    await first.spool.close();
    const owner = readdirSync(join(dir, 'v1', 'owners'))[0] as string;
    const cursors = join(dir, 'v1', 'owners', owner, 'cursors');
    expect(existsSync(cursors)).toBe(true);
    unlinkSync(cursors);

    const second = openSpool(dir);
    await expect(second.spool.recover()).resolves.toMatchObject({ owners: 1, records: 6 });
    expect((await pullAll(second.spool)).map((r) => r.payload)).toEqual(handles.map((_, i) => payload(i)));
    await second.spool.close();
  });

  it('counts settlements in any order per sink: the cursor waits for the gap, then moves past it', async () => {
    const dir = dirs.make();
    const first = openSpool(dir, { sinks: ['a'] });
    const handles = Array.from({ length: 4 }, (_, i) => first.spool.append(payload(i), 0b1) as number);
    await first.spool.flush();
    first.spool.done(handles[1] as number, 'a');
    first.spool.done(handles[3] as number, 'a');
    first.spool.done(handles[3] as number, 'a'); // repeated: ignored
    first.spool.done(handles[2] as number, 'nope'); // unknown sink: ignored
    first.spool.done(999, 'a'); // unknown handle: ignored
    expect(first.spool.stats().unreleased).toBe(2);
    first.spool.done(handles[0] as number, 'a');
    await first.spool.close();

    const second = openSpool(dir, { sinks: ['a'] });
    await second.spool.recover();
    // The cursor stands at 2 (record 2 is the gap); record 3 was released in memory only, so it is sent again.
    expect((await pullAll(second.spool)).map((r) => r.payload)).toEqual([payload(2), payload(3)]);
    await second.spool.close();
  });

  it('gives up the bits of sinks no longer configured, with one warning', async () => {
    const dir = dirs.make();
    const first = openSpool(dir, { sinks: ['a', 'gone', 'b'] });
    first.spool.append(payload(0), 0b010); // only "gone"
    first.spool.append(payload(1), 0b111);
    await first.spool.close();

    const second = openSpool(dir, { sinks: ['b', 'a'] });
    await expect(second.spool.recover()).resolves.toMatchObject({ owners: 1, records: 1 });
    expect((await pullAll(second.spool)).map((r) => [r.payload, r.sinkMask])).toEqual([[payload(1), 0b11]]);
    expect(second.warnings.filter((w) => w.includes('gone'))).toHaveLength(1);
    await second.spool.close();
  });

  it('returns recovered records before this process’s disk-only ones, and does not return the others', async () => {
    const dir = dirs.make();
    const first = openSpool(dir);
    first.spool.append(payload(0), BOTH);
    await first.spool.close();

    const second = openSpool(dir);
    second.spool.append(payload(1), BOTH); // in the caller's memory too: never pulled
    const diskOnly = second.spool.append(payload(2), BOTH, true);
    await second.spool.recover();
    expect(second.spool.stats().backlog).toBe(2);
    const pulled = await second.spool.pull(10);
    expect(pulled.map((r) => r.payload)).toEqual([payload(0), payload(2)]);
    expect(pulled[1]?.handle).toBe(diskOnly);
    await expect(second.spool.pull(10)).resolves.toEqual([]);
    await second.spool.close();
  });

  it('does not claim an owner that is open in this process', async () => {
    const dir = dirs.make();
    const first = openSpool(dir);
    first.spool.append(payload(0), BOTH);
    await first.spool.flush();
    const second = openSpool(dir);
    await expect(second.spool.recover()).resolves.toMatchObject({ owners: 0 });
    await second.spool.close();
    await first.spool.close();
  });
});
