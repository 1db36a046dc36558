import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFixture, type ChildExit } from '../helpers/child-process.js';
import { openSpool, pullAll, tempDirs, until } from '../helpers/spool.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const FIXTURE = 'spool-child.ts';
const lines = (exit: ChildExit): string[] => exit.stdout.trim().split('\n').filter(Boolean);
const lastJson = <T>(exit: ChildExit): T => JSON.parse(lines(exit).at(-1) ?? 'null') as T;

/** What a new process on `dir` recovers: the records' `i`s in the order pulled. */
async function recoverIs(dir: string): Promise<{ owners: number; corrupt: number; is: number[] }> {
  const { spool } = openSpool(dir);
  const { owners, corrupt } = await spool.recover();
  const is = (await pullAll(spool)).map((r) => (JSON.parse(r.payload) as { i: number }).i);
  await spool.close();
  return { owners, corrupt, is };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * Starts `count` children that print "ready" and wait for a go file, and writes it once all are
 * ready, so that what they do next races. `outputs[k]` is child k's output so far.
 */
function together(dir: string, mode: string, count: number) {
  const go = join(dirs.make(), 'go');
  let ready = 0;
  const reported = new Set<number>();
  const kills: ((signal: NodeJS.Signals) => void)[] = [];
  const outputs: string[] = Array.from({ length: count }, () => '');
  const exits = Promise.all(
    range(count).map((k) =>
      runFixture(FIXTURE, [mode, dir, go], {}, (text, kill) => {
        kills[k] = kill;
        outputs[k] = text;
        if (text === 'ready\n' && ++ready === count) writeFileSync(go, '');
        // Racers that wait for the end (mode 'race') are let go once all of them reported.
        if (text.endsWith('}\n') && reported.add(k).size === count) writeFileSync(`${go}.end`, '');
      }),
    ),
  );
  return { exits, kills, outputs };
}

describe('the spool across processes', () => {
  it.each(['flushSync-exit', 'flushSync-kill'])('recovers everything appended before flushSync (%s)', async (end) => {
    const dir = dirs.make();
    const exit = await runFixture(FIXTURE, ['write', dir, '500', end], {});
    expect(end === 'flushSync-kill' ? exit.signal : exit.code).toBe(end === 'flushSync-kill' ? 'SIGKILL' : 0);
    await expect(recoverIs(dir)).resolves.toEqual({ owners: 1, corrupt: 0, is: range(500) });
  });

  (process.platform === 'linux' ? it : it.skip)('flushSync also writes the group whose asynchronous write is still in flight', async () => {
    const dir = dirs.make();
    const fifo = join(dirs.make(), 'fifo');
    execFileSync('mkfifo', [fifo]);
    try {
      const exit = await runFixture(FIXTURE, ['inflight', dir, '-', fifo], { UV_THREADPOOL_SIZE: '1' });
      expect(exit.signal).toBe('SIGKILL');
      await expect(recoverIs(dir)).resolves.toEqual({ owners: 1, corrupt: 0, is: range(110) });
    } finally {
      rmSync(fifo, { force: true });
    }
  });

  it('recovers every record flushed before a SIGKILL, in order, and the ones after it up to the cut', async () => {
    const dir = dirs.make();
    const exit = await runFixture(FIXTURE, ['write', dir, '300', 'flush-then-more'], {}, (text, kill) => {
      if (text.includes('flushed')) setTimeout(() => kill('SIGKILL'), 150);
    });
    expect(exit.signal).toBe('SIGKILL');
    const { owners, is } = await recoverIs(dir);
    expect(owners).toBe(1);
    expect(is.length).toBeGreaterThanOrEqual(300);
    expect(is).toEqual(range(is.length)); // no gap, no duplicate, in order
  });

  it('two live processes on one spool claim nothing from each other; once killed, a new process gets both', async () => {
    const dir = dirs.make();
    const { exits, kills, outputs } = together(dir, 'live', 2);
    await until(() => outputs.every((text) => text.split('\n').length > 2), 15_000);
    expect(outputs.map((text) => JSON.parse(text.split('\n')[1] as string) as unknown)).toEqual([{ owners: 0 }, { owners: 0 }]);
    const meanwhile = await recoverIs(dir); // a third, live, process
    expect(meanwhile.owners).toBe(0);
    for (const kill of kills) kill('SIGKILL');
    await exits;
    const after = await recoverIs(dir);
    expect(after.owners).toBe(2);
    expect(after.is).toEqual([0, 1, 2, 0, 1, 2]);
  }, 30_000);

  it('of three live processes racing for one dead owner, exactly one claims it', async () => {
    const dir = dirs.make();
    await runFixture(FIXTURE, ['write', dir, '100', 'flushSync-kill'], {});
    const { exits } = together(dir, 'race', 3);
    const results = (await exits).map((exit) => lastJson<{ owners: number; records: number; pulled: number }>(exit));
    expect(results.map((r) => r.owners).sort()).toEqual([0, 0, 1]);
    expect(results.find((r) => r.owners === 1)).toMatchObject({ records: 100, pulled: 100 });
  }, 30_000);

  it("answers 'unavailable' with one warning for a read-only directory", async () => {
    const dir = dirs.make();
    chmodSync(dir, 0o555);
    const exit = await runFixture(FIXTURE, ['open', join(dir, 'spool')], {});
    const seen = lastJson<{ answer: unknown; diskOnly: unknown; fallback: string; warnings: string[] }>(exit);
    expect(seen).toMatchObject({ answer: 'unavailable', diskOnly: 'unavailable' });
    expect(seen.fallback).toMatch(/EACCES|EROFS|EPERM/);
    expect(seen.warnings).toHaveLength(1);
    expect(seen.warnings[0]).toContain(join(dir, 'spool'));
    expect(readdirSync(dir)).toEqual([]);
  });

  (process.platform === 'linux' ? it : it.skip)('falls back when a write cannot finish in time (a blocked disk thread), and keeps disk-only records in memory', async () => {
    const dir = dirs.make();
    const fifo = join(dirs.make(), 'fifo');
    execFileSync('mkfifo', [fifo]);
    try {
      // Its exit would wait for the blocked thread: it is killed once it has reported.
      const exit = await runFixture(FIXTURE, ['slow', dir, fifo], { UV_THREADPOOL_SIZE: '1' }, (text, kill) => {
        if (text.endsWith('}\n')) kill('SIGKILL');
      });
      const seen = lastJson<{ before: unknown; diskOnly: unknown; after: unknown; fallback: string; warnings: string[]; pulled: string[] }>(exit);
      expect(typeof seen.before).toBe('number');
      expect(typeof seen.diskOnly).toBe('number');
      expect(seen.after).toBe('unavailable');
      expect(seen.fallback).toMatch(/did not finish within 2000 ms/);
      expect(seen.warnings).toHaveLength(1);
      expect(seen.pulled.map((p) => (JSON.parse(p) as { i: number }).i)).toEqual([1]);
    } finally {
      rmSync(fifo, { force: true });
    }
  }, 30_000);
});
