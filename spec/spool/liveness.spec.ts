import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTick } from '../../src/platform/liveness.js';
import { openSpool, payload, tempDirs } from '../helpers/spool.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

let sleeper: ChildProcess;
beforeAll(() => {
  sleeper = spawn('sleep', ['60']);
});
afterAll(() => {
  sleeper.kill('SIGKILL');
});

/** A pid that was just in use and is now gone. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/** A spool directory with one stopped owner holding a record, whose owner.json is then edited by `patch`. */
async function ownerLeft(patch: (owner: Record<string, unknown>) => Record<string, unknown> | string, ageMs = 0): Promise<string> {
  const dir = dirs.make();
  const { spool } = openSpool(dir);
  spool.append(payload(0), 0b1);
  await spool.close();
  const ownerDir = join(dir, 'v1', 'owners', readdirSync(join(dir, 'v1', 'owners'))[0] as string);
  const file = join(ownerDir, 'owner.json');
  const edited = patch(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
  writeFileSync(file, typeof edited === 'string' ? edited : JSON.stringify(edited));
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(file, at, at);
  utimesSync(ownerDir, at, at);
  return dir;
}

async function claimed(dir: string): Promise<number> {
  const { spool } = openSpool(dir);
  const { owners } = await spool.recover();
  await spool.close();
  return owners;
}

const linux = process.platform === 'linux';

describe('the death test (who may claim an owner directory)', () => {
  it('leaves an owner whose pid is alive with the same start tick', async () => {
    const pid = sleeper.pid as number;
    const dir = await ownerLeft((o) => ({ ...o, pid, startTick: processStartTick(pid) }));
    expect(await claimed(dir)).toBe(0);
  });

  it('claims an owner whose pid is gone (ESRCH)', async () => {
    const pid = deadPid();
    const dir = await ownerLeft((o) => ({ ...o, pid, startTick: undefined }));
    expect(await claimed(dir)).toBe(1);
  });

  (linux ? it : it.skip)('claims an owner whose pid is alive with another start tick (a reused pid)', async () => {
    const pid = sleeper.pid as number;
    const dir = await ownerLeft((o) => ({ ...o, pid, startTick: '1' }));
    expect(await claimed(dir)).toBe(1);
  });

  (linux ? it : it.skip)('claims an owner from an earlier boot, even with a live pid', async () => {
    const pid = sleeper.pid as number;
    const dir = await ownerLeft((o) => ({ ...o, pid, startTick: processStartTick(pid), bootId: 'another-boot' }));
    expect(await claimed(dir)).toBe(1);
  });

  it('judges an owner on another host by its heartbeat: fresh is alive, older than 60 s is dead', async () => {
    const fresh = await ownerLeft((o) => ({ ...o, hostname: 'elsewhere' }));
    expect(await claimed(fresh)).toBe(0);
    const stale = await ownerLeft((o) => ({ ...o, hostname: 'elsewhere' }), 61_000);
    expect(await claimed(stale)).toBe(1);
  });

  it('judges an owner with an unreadable owner.json by its files’ age', async () => {
    const fresh = await ownerLeft(() => 'not json');
    expect(await claimed(fresh)).toBe(0);
    const stale = await ownerLeft(() => 'not json', 61_000);
    expect(await claimed(stale)).toBe(1);
  });

  it('touches owner.json on the heartbeat, and falls back without throwing when its directory is taken away', async () => {
    const dir = dirs.make();
    const { spool, warnings } = openSpool(dir, { heartbeatMs: 20 });
    const ownerDir = join(dir, 'v1', 'owners', readdirSync(join(dir, 'v1', 'owners'))[0] as string);
    const file = join(ownerDir, 'owner.json');
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(file, old, old);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { mtimeMs } = statSync(file);
    expect(Date.now() - mtimeMs).toBeLessThan(10_000);

    rmSync(ownerDir, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(spool.stats().fallback).toMatch(/owner directory/);
    expect(spool.append(payload(1), 0b1)).toBe('unavailable');
    expect(warnings).toHaveLength(1);
    await spool.close();
  });
});
