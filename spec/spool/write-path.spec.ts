import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { advance, filesUnder, frameOffsets, openSpool, payload, pullAll, realPause, segmentFiles, tempDirs, until } from '../helpers/spool.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const ownerDirOf = (dir: string): string => join(dir, 'v1', 'owners', readdirSync(join(dir, 'v1', 'owners'))[0] as string);

describe('the write path', () => {
  it('only queues on append; one group write after writeIntervalMs of virtual time', async () => {
    const dir = dirs.make();
    const { spool, scheduler } = openSpool(dir, { fsync: 'never' });
    for (let i = 0; i < 50; i++) expect(spool.append(payload(i), 0b1)).toBe(i + 1);
    expect(segmentFiles(dir)).toEqual([]);
    expect(spool.stats()).toMatchObject({ unwritten: 50, segments: 0 });
    advance(scheduler, 99);
    await realPause();
    expect(segmentFiles(dir)).toEqual([]);
    advance(scheduler, 1);
    await until(() => spool.stats().unwritten === 0);
    const [segment] = segmentFiles(dir);
    expect(frameOffsets(readFileSync(join(dir, segment as string)))).toHaveLength(50);
    expect(spool.stats()).toMatchObject({ writes: 1, syncs: 0 });
    // Idle: no timer stays armed.
    expect(scheduler.actions).toHaveLength(0);
    await spool.close();
  });

  it('writes at once, without waiting for the interval, once 256 KiB are pending', async () => {
    const dir = dirs.make();
    const { spool, scheduler } = openSpool(dir, { fsync: 'never' });
    const big = 'x'.repeat(10_000);
    for (let i = 0; i < 27; i++) spool.append(JSON.stringify({ i, big }), 0b1);
    advance(scheduler, 0); // the "as soon as possible" turn; the interval's timer is still 100 ms away
    await until(() => spool.stats().unwritten === 0);
    expect(scheduler.now()).toBe(0);
    await spool.close();
  });

  it("fdatasyncs after a group write under 'interval', at most once per interval", async () => {
    const dir = dirs.make();
    const { spool, scheduler } = openSpool(dir);
    const big = 'x'.repeat(10_000);
    const burst = (): void => {
      for (let i = 0; i < 27; i++) spool.append(JSON.stringify({ i, big }), 0b1);
    };
    burst(); // past 256 KiB: written at once, and synced at once (the first sync)
    advance(scheduler, 0);
    await until(() => spool.stats().syncs === 1);
    expect(spool.stats().writes).toBe(1);
    burst(); // written at once again, but its sync waits for the interval
    advance(scheduler, 0);
    await until(() => spool.stats().writes === 2);
    await realPause();
    expect(spool.stats().syncs).toBe(1);
    advance(scheduler, 99);
    await realPause();
    expect(spool.stats().syncs).toBe(1);
    advance(scheduler, 1);
    await until(() => spool.stats().syncs === 2);
    await spool.close();
  });

  it('seals segments at segmentBytes, deletes a sealed one once all its records are released, and leaves no files on close', async () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir, { segmentBytes: 300, sinks: ['a'] });
    const handles = Array.from({ length: 30 }, (_, i) => spool.append(payload(i), 0b1) as number);
    await spool.flush();
    const written = segmentFiles(dir);
    expect(written.length).toBeGreaterThanOrEqual(3);
    expect(spool.stats().segments).toBe(written.length);
    for (const handle of handles.slice(0, 15)) spool.done(handle, 'a');
    await spool.flush();
    const left = segmentFiles(dir);
    expect(left.length).toBeLessThan(written.length);
    expect(left).toEqual(written.slice(written.length - left.length)); // the oldest went
    for (const handle of handles.slice(15)) spool.done(handle, 'a');
    await spool.flush();
    expect(segmentFiles(dir)).toHaveLength(1); // the current segment stays open until close
    await spool.close();
    expect(filesUnder(dir)).toEqual([]);
    expect(existsSync(join(dir, 'v1'))).toBe(false);
  });

  it("answers 'full' when live segments + pending + the record would pass maxBytes, and has room again after release", async () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir, { maxBytes: 2000, segmentBytes: 500, sinks: ['a'] });
    const answers = Array.from({ length: 100 }, (_, i) => spool.append(payload(i), 0b1));
    const taken = answers.filter((a): a is number => typeof a === 'number');
    expect(answers.slice(taken.length).every((a) => a === 'full')).toBe(true);
    expect(taken.length).toBeGreaterThan(50);
    expect(spool.stats().bytes).toBeLessThanOrEqual(2000);
    await spool.flush();
    expect(spool.stats().bytes).toBeLessThanOrEqual(2000);
    expect(spool.append(payload(999), 0b1)).toBe('full');
    for (const handle of taken) spool.done(handle, 'a');
    await spool.flush();
    expect(typeof spool.append(payload(1000), 0b1)).toBe('number');
    // A record longer than maxRecordBytes can never fit.
    expect(openSpool(dirs.make(), { maxRecordBytes: 100 }).spool.append('y'.repeat(200), 0b1)).toBe('full');
    await spool.close();
  });

  it('answers a disk-only record from memory before it is written and from its segment after', async () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir);
    const early = spool.append(payload(0), 0b11, true);
    expect(await spool.pull(10)).toEqual([{ handle: early, payload: payload(0), sinkMask: 0b11 }]);
    const later = spool.append(payload(1), 0b11, true);
    await spool.flush();
    expect(await spool.pull(10)).toEqual([{ handle: later, payload: payload(1), sinkMask: 0b11 }]);
    expect(spool.stats().backlog).toBe(0);
    await spool.close();
  });

  it('knows when the oldest unreleased record was appended (within a write interval)', async () => {
    const dir = dirs.make();
    const { spool, scheduler } = openSpool(dir, { sinks: ['a'] });
    expect(spool.stats().oldestUnreleasedAtMs).toBeUndefined();
    const first = spool.append(payload(0), 0b1) as number;
    advance(scheduler, 500);
    await spool.flush();
    spool.append(payload(1), 0b1);
    expect(spool.stats().oldestUnreleasedAtMs).toBe(0);
    spool.done(first, 'a');
    expect(spool.stats().oldestUnreleasedAtMs).toBe(500);
    await spool.close();
  });

  it('rewrites the cursor file at most once per interval, when it changed', async () => {
    const dir = dirs.make();
    const { spool, scheduler } = openSpool(dir, { sinks: ['a'] });
    const handles = Array.from({ length: 3 }, (_, i) => spool.append(payload(i), 0b1) as number);
    await spool.flush();
    const cursors = join(ownerDirOf(dir), 'cursors');
    spool.done(handles[0] as number, 'a');
    await realPause();
    expect(existsSync(cursors)).toBe(false); // not before the interval
    advance(scheduler, 100);
    await until(() => existsSync(cursors));
    expect(JSON.parse(readFileSync(cursors, 'utf8'))).toMatchObject({ acked: { a: 1 } });
    spool.done(handles[1] as number, 'a');
    advance(scheduler, 100);
    await until(() => (JSON.parse(readFileSync(cursors, 'utf8')) as { acked: { a: number } }).acked.a === 2);
    await spool.close();
  });
});

describe('faults', () => {
  it("answers 'unavailable' with one warning naming the reason and the directory when the directory cannot be made", async () => {
    const parent = dirs.make();
    const file = join(parent, 'a-file');
    writeFileSync(file, '');
    const { spool, warnings } = openSpool(join(file, 'spool'));
    expect(spool.append(payload(0), 0b1)).toBe('unavailable');
    expect(spool.append(payload(1), 0b1, true)).toBe('unavailable');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(file, 'spool'));
    expect(warnings[0]).toMatch(/ENOTDIR/);
    expect(spool.stats().fallback).toMatch(/ENOTDIR/);
    await expect(spool.recover()).resolves.toEqual({ owners: 0, records: 0, corrupt: 0 });
    await expect(spool.pull(10)).resolves.toEqual([]);
    spool.flushSync();
    await spool.close();
  });

  it("answers 'unavailable' for invalid options, with one warning", () => {
    const { spool, warnings } = openSpool(dirs.make(), { maxBytes: -1 });
    expect(spool.append(payload(0), 0b1)).toBe('unavailable');
    expect(warnings).toEqual([expect.stringMatching(/maxBytes/)]);
  });

  it('falls back on a failed write: one warning, later appends unavailable, pending disk-only records still pulled from memory', async () => {
    const dir = dirs.make();
    const { spool, scheduler, warnings } = openSpool(dir);
    rmSync(ownerDirOf(dir), { recursive: true }); // the segment cannot be created
    spool.append(payload(0), 0b1);
    const kept = spool.append(payload(1), 0b1, true);
    advance(scheduler, 100);
    await until(() => spool.stats().fallback !== undefined);
    expect(spool.stats().fallback).toMatch(/ENOENT/);
    expect(warnings).toHaveLength(1);
    expect(spool.append(payload(2), 0b1)).toBe('unavailable');
    expect(spool.append(payload(3), 0b1, true)).toBe('unavailable');
    expect(await pullAll(spool)).toEqual([{ handle: kept, payload: payload(1), sinkMask: 0b1 }]);
    spool.flushSync(); // does nothing, throws nothing
    await spool.flush();
    await spool.close();
    expect(warnings).toHaveLength(1);
  });

  it('never throws from append, done or stats on odd input', () => {
    const { spool } = openSpool(dirs.make());
    expect(typeof spool.append('', 0)).toBe('number');
    expect(typeof spool.append('x', -1)).toBe('number');
    expect(() => spool.done(Number.NaN, 'a')).not.toThrow();
    expect(() => spool.done(-5, 'a')).not.toThrow();
    expect(() => spool.done(1e20, 'b')).not.toThrow();
    expect(spool.stats().unreleased).toBe(1);
    return spool.close();
  });
});

describe('flushSync', () => {
  it('writes everything unwritten into a new segment before it returns', async () => {
    const dir = dirs.make();
    const { spool } = openSpool(dir);
    for (let i = 0; i < 5; i++) spool.append(payload(i), 0b1);
    spool.flushSync();
    const [segment] = segmentFiles(dir);
    expect(frameOffsets(readFileSync(join(dir, segment as string)))).toHaveLength(5);
    expect(spool.stats().unwritten).toBe(0);
    await spool.close();

    const recovering = openSpool(dir);
    await recovering.spool.recover();
    expect((await pullAll(recovering.spool)).map((r) => r.payload)).toEqual([0, 1, 2, 3, 4].map(payload));
    await recovering.spool.close();
  });

  it('rewrites a group whose write is in flight, and recovery returns each record once', async () => {
    const dir = dirs.make();
    const { spool, scheduler } = openSpool(dir);
    for (let i = 0; i < 10; i++) spool.append(payload(i), 0b1);
    await spool.flush(); // records 0–9 in the first segment
    for (let i = 10; i < 200; i++) spool.append(payload(i), 0b1);
    advance(scheduler, 100); // the group write of 10–199 into the first segment starts
    spool.append(payload(200), 0b1);
    spool.flushSync(); // 10–200 into a second segment
    await spool.flush(); // the write in flight ends: 10–199 are in both segments
    for (let i = 201; i < 210; i++) spool.append(payload(i), 0b1);
    await spool.close();
    const segments = segmentFiles(dir);
    expect(segments).toHaveLength(2);
    expect(frameOffsets(readFileSync(join(dir, segments[0] as string)))).toHaveLength(200);

    const recovering = openSpool(dir);
    await expect(recovering.spool.recover()).resolves.toMatchObject({ records: 210, corrupt: 0 });
    expect((await pullAll(recovering.spool)).map((r) => r.payload)).toEqual(Array.from({ length: 210 }, (_, i) => payload(i)));
    await recovering.spool.close();
  });
});
