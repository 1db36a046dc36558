import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameOffsets, openSpool, payload, pullAll, segmentFiles, tempDirs } from '../helpers/spool.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** A spool directory whose one (stopped) owner holds records 0…n-1, all owed; answers the segment paths. */
async function leftBehind(n: number, segmentBytes?: number): Promise<{ dir: string; segments: string[] }> {
  const dir = dirs.make();
  const { spool } = openSpool(dir, segmentBytes === undefined ? {} : { segmentBytes });
  for (let i = 0; i < n; i++) spool.append(payload(i), 0b1);
  await spool.close();
  return { dir, segments: segmentFiles(dir).map((path) => join(dir, path)) };
}

async function recoverAll(dir: string) {
  const recovering = openSpool(dir);
  const result = await recovering.spool.recover();
  const records = (await pullAll(recovering.spool)).map((r) => r.payload);
  const stats = recovering.spool.stats();
  await recovering.spool.close();
  return { result, records, stats, warnings: recovering.warnings };
}

const upTo = (n: number, except: readonly number[] = []): string[] =>
  Array.from({ length: n }, (_, i) => i).filter((i) => !except.includes(i)).map(payload);

describe('corrupt segments', () => {
  it('cuts a torn tail (a frame cut off mid-way), counts it and returns the rest', async () => {
    const { dir, segments } = await leftBehind(10);
    const file = segments[0] as string;
    const offsets = frameOffsets(readFileSync(file));
    truncateSync(file, statSync(file).size - 5);
    const { result, records, stats } = await recoverAll(dir);
    expect(result).toEqual({ owners: 1, records: 9, corrupt: 1 });
    expect(records).toEqual(upTo(9));
    expect(stats.corrupt).toBe(1);
    const [claimed] = segmentFiles(dir); // now under v1/claims/
    expect(claimed).toMatch(/^v1\/claims\//);
    expect(statSync(join(dir, claimed as string)).size).toBe(offsets[9]); // cut at the torn frame
  });

  it('cuts a zero-filled tail (what a power loss can leave)', async () => {
    const { dir, segments } = await leftBehind(3);
    appendFileSync(segments[0] as string, Buffer.alloc(4096));
    const { result, records } = await recoverAll(dir);
    expect(result).toEqual({ owners: 1, records: 3, corrupt: 1 });
    expect(records).toEqual(upTo(3));
  });

  it('skips a frame with a flipped byte when the next one validates, and counts it', async () => {
    const { dir, segments } = await leftBehind(10);
    const file = segments[0] as string;
    const bytes = readFileSync(file);
    const at = (frameOffsets(bytes)[5] as number) + 25; // inside record 5's payload
    bytes[at] = (bytes[at] as number) ^ 0xff;
    writeFileSync(file, bytes);
    const { result, records } = await recoverAll(dir);
    expect(result).toEqual({ owners: 1, records: 9, corrupt: 1 });
    expect(records).toEqual(upTo(10, [5]));
  });

  it('skips the rest of a sealed segment when a length is corrupt, and goes on with the next segment', async () => {
    const { dir, segments } = await leftBehind(40, 200); // about 6 records a segment
    expect(segments.length).toBeGreaterThan(3);
    const file = segments[1] as string;
    const bytes = readFileSync(file);
    const offsets = frameOffsets(bytes);
    bytes.writeUInt32LE(0xfffffff0, offsets[1] as number); // record 1 of that segment: an impossible length
    writeFileSync(file, bytes);
    const firstSegmentRecords = frameOffsets(readFileSync(segments[0] as string)).length;
    const lost = Array.from({ length: offsets.length - 1 }, (_, i) => firstSegmentRecords + 1 + i);
    const { result, records } = await recoverAll(dir);
    expect(result.corrupt).toBe(1);
    expect(records).toEqual(upTo(40, lost));
  });

  it('leaves a garbage file, a foreign entry and a segment of an unknown version alone, warns once each, and recovers the rest', async () => {
    const { dir, segments } = await leftBehind(4);
    const ownerDir = join(segments[0] as string, '..');
    const garbage = join(ownerDir, '00000000000000ff.seg');
    writeFileSync(garbage, Buffer.alloc(100, 7));
    const future = Buffer.from(readFileSync(segments[0] as string));
    future.writeUInt16LE(9, 4); // format version 9
    const futureFile = join(ownerDir, '00000000000000fe.seg');
    writeFileSync(futureFile, future);
    writeFileSync(join(dir, 'v1', 'owners', 'notes.txt'), 'hello');
    mkdirSync(join(dir, 'v1', 'owners', 'not-an-owner'));

    const recovering = openSpool(dir);
    await expect(recovering.spool.recover()).resolves.toEqual({ owners: 1, records: 4, corrupt: 0 });
    await recovering.spool.recover(); // a second scan warns no more
    expect((await pullAll(recovering.spool)).map((r) => r.payload)).toEqual(upTo(4));
    expect(recovering.warnings.filter((w) => w.includes('00000000000000ff.seg'))).toHaveLength(1);
    expect(recovering.warnings.filter((w) => w.includes('version 9'))).toHaveLength(1);
    expect(recovering.warnings.filter((w) => w.includes('notes.txt'))).toHaveLength(1);
    expect(recovering.warnings.filter((w) => w.includes('not-an-owner'))).toHaveLength(1);
    await recovering.spool.close();
    const claim = readdirSync(join(dir, 'v1', 'claims'))[0] as string;
    expect(readdirSync(join(dir, 'v1', 'claims', claim)).sort()).toEqual(expect.arrayContaining(['00000000000000fe.seg', '00000000000000ff.seg']));
  });

  it('removes a segment whose creation was cut short (shorter than its header)', async () => {
    const { dir, segments } = await leftBehind(2);
    const stub = join(segments[0] as string, '..', '0000000000000002.seg');
    writeFileSync(stub, Buffer.from('RXT'));
    const { result, records, warnings } = await recoverAll(dir);
    expect(result).toEqual({ owners: 1, records: 2, corrupt: 0 });
    expect(records).toEqual(upTo(2));
    expect(warnings).toEqual([]);
  });
});
