import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { advance, openSpool, payload, pullAll, realPause, tempDirs } from '../helpers/spool.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

type Action =
  | { readonly kind: 'append'; readonly mask: number; readonly diskOnly: boolean }
  | { readonly kind: 'done'; readonly sink: number; readonly pick: number }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'flush' | 'flushSync' | 'pull' | 'io' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), mask: fc.integer({ min: 0, max: 3 }), diskOnly: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('done' as const), sink: fc.integer({ min: 0, max: 1 }), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 250 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('flush' as const, 'flushSync' as const, 'pull' as const, 'io' as const) }) },
);

const SINKS = ['a', 'b'];

/**
 * Random appends, settlements, writes, fatal flushes and pulls, then a stop with records left and a
 * recovery in a new spool. With settlements in acceptance order per sink (`ordered`), recovery
 * returns exactly the records still owed, each with exactly the sinks still owing it. In any order,
 * it returns at least those (duplicates allowed, never a loss), each once and in order.
 */
async function run(actions: readonly Action[], ordered: boolean, segmentBytes: number): Promise<void> {
  const dir = dirs.make();
  const { spool, scheduler } = openSpool(dir, { segmentBytes, sinks: SINKS });
  const owed = new Map<number, { i: number; mask: number }>(); // handle → still owed
  let next = 0;
  for (const step of actions) {
    if (step.kind === 'append') {
      const handle = spool.append(payload(next), step.mask, step.diskOnly);
      expect(typeof handle).toBe('number');
      if (step.mask !== 0) owed.set(handle as number, { i: next, mask: step.mask });
      next++;
    } else if (step.kind === 'done') {
      const bit = 1 << step.sink;
      const candidates = [...owed].filter(([, r]) => (r.mask & bit) !== 0);
      if (candidates.length === 0) continue;
      const [handle, record] = candidates[ordered ? 0 : step.pick % candidates.length] as [number, { i: number; mask: number }];
      spool.done(handle, SINKS[step.sink] as string);
      record.mask &= ~bit;
      if (record.mask === 0) owed.delete(handle);
    } else if (step.kind === 'advance') advance(scheduler, step.ms);
    else if (step.kind === 'flush') await spool.flush();
    else if (step.kind === 'flushSync') spool.flushSync();
    else if (step.kind === 'pull') await spool.pull(3);
    else await realPause(2);
  }
  expect(spool.stats().unreleased).toBe(owed.size);
  await spool.close();
  expect(spool.stats().fallback).toBeUndefined();

  const recovering = openSpool(dir, { sinks: SINKS });
  await recovering.spool.recover();
  const got = (await pullAll(recovering.spool)).map((r) => ({ i: (JSON.parse(r.payload) as { i: number }).i, mask: r.sinkMask }));
  await recovering.spool.close();
  const want = [...owed.values()].sort((x, y) => x.i - y.i);
  if (ordered) expect(got).toEqual(want);
  else {
    expect(got.map((r) => r.i)).toEqual([...new Set(got.map((r) => r.i))].sort((x, y) => x - y));
    const byI = new Map(got.map((r) => [r.i, r.mask]));
    for (const record of want) expect((byI.get(record.i) ?? 0) & record.mask).toBe(record.mask);
  }
}

describe('spool properties', () => {
  it('recovers exactly what is owed when sinks settle in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 120 }), fc.constantFrom(300, 4096, 1 << 20), (actions, segmentBytes) => run(actions, true, segmentBytes)),
      { numRuns: 40 },
    );
  }, 60_000);

  it('never loses an owed record when sinks settle in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 120 }), fc.constantFrom(300, 4096, 1 << 20), (actions, segmentBytes) => run(actions, false, segmentBytes)),
      { numRuns: 40 },
    );
  }, 60_000);
});
