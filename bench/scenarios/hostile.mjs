/**
 * hostile: the worst single `log()` over inputs built to cost as much as possible (issue 13):
 * shared references, huge strings and keys, deep nesting, 100,000-key objects, Proxies whose
 * traps throw, getters that build a new large value on every read, and a hostile Error through
 * `logException()`. rxtel only, every option at its default, a sink that discards.
 *
 * Each shape is built once (outside the clock, after a collection), then logged `calls` times;
 * every call is timed on its own with process.hrtime.bigint(), with one event-loop turn between
 * calls so batches ship.
 * The pipeline is warmed first with 2,000 ordinary nested events, so a shape's first call pays for
 * the shape, not for compiling the walker (a cold first call costs a few ms more).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { median, percentile, settledMemory } from '../lib/numbers.mjs';

const trap = () => {
  throw new Error('trap');
};

/** @param {unknown} value @param {number} levels */
function sharedRefs(value, levels) {
  let shared = value;
  for (let level = 0; level < levels; level++) shared = Array.from({ length: 1000 }, () => shared);
  return shared;
}

/** @param {number} levels */
function nest(levels) {
  let deep = /** @type {unknown} */ ({ leaf: 1 });
  for (let i = 0; i < levels; i++) deep = { d: deep };
  return deep;
}

/** A 10 MB message, a 10,000-deep cause chain, `stack` getters that throw or return 100 MB. */
function hostileError() {
  const huge = Buffer.alloc(1e8, 's').toString('latin1');
  let chain = /** @type {Error} */ (Object.defineProperty(new Error('m'.repeat(1e7)), 'stack', { get: trap }));
  for (let i = 0; i < 10_000; i++) chain = Object.defineProperty(new Error(`level ${i}`, { cause: chain }), 'stack', { get: () => huge });
  return chain;
}

/**
 * Each shape's `build` runs once, outside the clock, and what it built is dropped before the next
 * shape: the heap holds one shape at a time, so a shape's calls do not pay for collecting the others.
 * `fresh`: `make` builds a new input for every call (outside the clock).
 * @type {{ name: string, what: string, build: () => unknown, fresh?: boolean, exception?: boolean }[]}
 */
const SHAPES = [
  { name: 'shared-refs', what: '9 nested arrays of 1,000 references to one object', build: () => ({ shared: sharedRefs({ a: 1, b: 'two', c: [3] }, 9) }) },
  { name: 'matrix', what: '1,000 × 1,000 array of numbers', build: () => ({ matrix: Array.from({ length: 1000 }, () => Array.from({ length: 1000 }, (_, i) => i)) }) },
  { name: 'keys-100k', what: 'an object of 100,000 keys, as event_data', build: () => Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`key${i}`, i])) },
  { name: 'keys-100k-nested', what: 'the same object one level down', build: () => ({ keys: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`key${i}`, i])) }) },
  {
    name: 'wide-empty',
    what: '1,000 references to an object of 1,000 undefined values',
    build: () => ({ list: sharedRefs(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, undefined])), 1) }),
  },
  { name: 'depth-10000', what: 'objects nested 10,000 deep', build: () => nest(10_000) },
  // Flat, on purpose: `repeat` builds a rope that V8 flattens on the first read (the next shape).
  { name: 'string-1e8', what: 'a flat string of 100,000,000 characters', build: () => ({ s: Buffer.alloc(1e8, 'x').toString('latin1') }) },
  { name: 'string-1e8-rope', what: "a fresh 'x'.repeat(1e8) per call (V8 flattens it on its first read)", build: () => ({ s: 'x'.repeat(1e8) }), fresh: true },
  { name: 'key-1mib', what: 'one key of 1 MiB', build: () => ({ ['k'.repeat(2 ** 20)]: 1 }) },
  {
    name: 'proxy-traps',
    what: 'a Proxy whose every trap throws, at the top and nested',
    build: () => {
      const proxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
      return { proxy, list: [proxy, proxy] };
    },
  },
  {
    name: 'getter-new-array',
    what: 'a getter that builds a new 10,000-item array on every read, referenced 1,000 times',
    build: () => ({ list: sharedRefs(Object.defineProperty({}, 'big', { enumerable: true, get: () => Array.from({ length: 10_000 }, (_, i) => ({ i })) }), 1) }),
  },
  { name: 'bigint-1e7-bits', what: 'a BigInt of 10,000,000 bits', build: () => ({ n: 1n << 10_000_000n }) },
  { name: 'error-logException', what: 'logException: 10 MB message, 10,000-deep cause chain, stack getters (100 MB, throwing)', build: hostileError, exception: true },
];

/**
 * @param {{ client: import('../clients/types.mjs').ClientInstance, size: { calls: number } }} input
 */
export async function hostile({ client, size }) {
  const { logData, logException, stats } = client;
  if (logData === undefined || logException === undefined || stats === undefined) throw new Error('the hostile scenario needs logData, logException and stats');
  // About 120 values each: enough walking for V8 to optimise the walker, as an application's ordinary events would.
  for (let i = 0; i < 2000; i++) {
    logData('warm', { user: { id: `u${i}`, tags: ['a', 'b'] }, items: Array.from({ length: 20 }, (_, j) => ({ id: j, name: 'n', tags: ['a', 'b'], at: new Date(0), n: 3n })), i });
    if (i % 100 === 0) await nextTurn();
  }
  /** @type {Record<string, unknown>} */
  const result = {};
  let worstMs = 0;
  let worstShape = '';
  for (const shape of SHAPES) {
    let built = shape.fresh ? undefined : shape.build();
    settledMemory();
    /** @type {number[]} */
    const samples = [];
    const before = { ...stats().coerced };
    for (let k = 0; k < size.calls; k++) {
      const input = shape.fresh ? shape.build() : built;
      const t = process.hrtime.bigint();
      if (shape.exception) logException(input);
      else logData(`hostile.${shape.name}`, input);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
      await nextTurn();
    }
    built = undefined;
    const after = stats().coerced;
    samples.sort((a, b) => a - b);
    const max = /** @type {number} */ (samples.at(-1));
    if (max > worstMs) [worstMs, worstShape] = [max, shape.name];
    Object.assign(result, {
      [`${shape.name}.medianMs`]: median(samples),
      [`${shape.name}.p99Ms`]: percentile(samples, 99),
      [`${shape.name}.maxMs`]: max,
      [`${shape.name}.what`]: shape.what,
      [`${shape.name}.outcome`]: shape.exception
        ? 'exception event'
        : after.oversized > before.oversized
          ? 'over budget: { truncated, original_bytes_at_least }'
          : after.eventData > before.eventData
            ? 'repaired (cut, marked)'
            : 'kept as is',
    });
  }
  await client.shutdown();
  return { worstMs, worstShape, ...result };
}
