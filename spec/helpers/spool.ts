import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TestScheduler } from 'rxjs/testing';
import { Spool, type SpoolOptions } from '../../src/spool/index.js';
import { virtualScheduler } from './virtual-time.js';

/** A fresh directory under os.tmpdir(); `cleanup` removes every one made so far (call it in afterEach). */
export function tempDirs(): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'rxtel-spool-'));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A spool in virtual time with a logger that keeps its warnings. */
export interface TestSpool {
  readonly spool: Spool;
  readonly scheduler: TestScheduler;
  readonly warnings: string[];
}

export function openSpool(dir: string, overrides: Partial<SpoolOptions> = {}, scheduler: TestScheduler = virtualScheduler()): TestSpool {
  const warnings: string[] = [];
  const spool = Spool.open({
    dir,
    maxBytes: 64 * 1024 * 1024,
    writeIntervalMs: 100,
    fsync: 'interval',
    maxRecordBytes: 64 * 1024,
    sinks: ['a', 'b'],
    scheduler,
    logger: { warn: (message) => warnings.push(message) },
    ...overrides,
  });
  return { spool, scheduler, warnings };
}

/** Runs the scheduler's actions due in the next `ms` of virtual time and leaves its clock there. */
export function advance(scheduler: TestScheduler, ms: number): void {
  const target = scheduler.now() + ms;
  scheduler.maxFrames = target;
  try {
    scheduler.flush();
  } finally {
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
  }
  scheduler.frame = target;
}

/** Every file under `dir`, relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    let names: string[];
    try {
      names = readdirSync(at);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** The segment files under `dir`. */
export function segmentFiles(dir: string): string[] {
  return filesUnder(dir).filter((path) => path.endsWith('.seg'));
}

/** Payloads `{"i":0}`, `{"i":1}`, … */
export const payload = (i: number): string => JSON.stringify({ i });

/** Pulls everything there is, in batches of `batch`. */
export async function pullAll(spool: Spool, batch = 1000): Promise<{ handle: number; payload: string; sinkMask: number }[]> {
  const out = [];
  for (;;) {
    const records = await spool.pull(batch);
    if (records.length === 0) return out;
    out.push(...records);
  }
}

/** The offsets of the frames in a segment file (header 40 bytes, then `len` u32 + crc u32 + body). */
export function frameOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 40; at + 8 <= bytes.length; at += 8 + bytes.readUInt32LE(at)) offsets.push(at);
  return offsets;
}

/** Waits (real time, for real I/O) until `condition` holds; fails after `ms`. */
export async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition still false after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Lets real I/O run for a while (for asserting that nothing happens). */
export const realPause = (ms = 30): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
