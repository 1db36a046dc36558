import { describe, expect, it } from '@jest/globals';
import { sanitizeEventData, truncate } from '../../src/events/sanitize.js';
import { nodeBudget } from '../../src/events/work-budget.js';

const limits = { maxStringLength: 32 };
const clean = (value: unknown, extra: Partial<Parameters<typeof sanitizeEventData>[1]> = {}) =>
  sanitizeEventData(value, { ...limits, ...extra });

function hostileProxy(): object {
  const trap = () => {
    throw new Error('trap');
  };
  return new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
}

describe('sanitizeEventData', () => {
  it('copies a flat object of JSON primitives as it is (a snapshot, not the caller’s object)', () => {
    const input = { a: 'x', n: 1.5, ok: false, none: null };
    const { data, changed } = clean(input);
    expect(data).toEqual(input);
    expect(data).not.toBe(input);
    expect(changed).toBe(false);
    input.a = 'mutated';
    expect(data['a']).toBe('x');
  });

  it('keeps clean nested JSON unchanged', () => {
    const input = { user: { id: 'u1', tags: ['a', 'b'], prefs: { dark: true } }, list: [1, null, 'z'] };
    expect(clean(input)).toEqual({ data: input, changed: false });
  });

  it('treats undefined and null as no data, and wraps other top-level values', () => {
    expect(clean(undefined)).toEqual({ data: {}, changed: false });
    expect(clean(null)).toEqual({ data: {}, changed: false });
    expect(clean(42)).toEqual({ data: { value: 42 }, changed: true });
    expect(clean('hi')).toEqual({ data: { value: 'hi' }, changed: true });
    expect(clean([1, 2])).toEqual({ data: { value: [1, 2] }, changed: true });
  });

  it.each([
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['-Infinity', Number.NEGATIVE_INFINITY, '-Infinity'],
    ['BigInt', 2n ** 64n, '18446744073709551616'],
    ['Date', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), '2026-01-02T03:04:05.006Z'],
    ['invalid Date', new Date(Number.NaN), 'Invalid Date'],
    ['RegExp', /a+b/gi, '/a+b/gi'],
    ['URL', new URL('https://example.com/a?b=1'), 'https://example.com/a?b=1'],
    ['Buffer', Buffer.from('hello'), '[Binary 5 bytes]'],
    ['Uint8Array', new Uint8Array(3), '[Binary 3 bytes]'],
    ['ArrayBuffer', new ArrayBuffer(7), '[Binary 7 bytes]'],
  ])('turns %s into JSON', (_label, value, expected) => {
    expect(clean({ v: value })).toEqual({ data: { v: expected }, changed: true });
  });

  it('cuts long strings with a marker saying how much was cut', () => {
    const { data, changed } = clean({ s: 'x'.repeat(100) });
    expect(data['s']).toBe(`${'x'.repeat(32)}…[truncated 68 chars]`);
    expect(changed).toBe(true);
    expect(truncate('short', 10)).toBe('short');
  });

  it('turns an Error into name, message, stack, its own fields and its cause', () => {
    const cause = new RangeError('inner');
    const error = Object.assign(new Error('outer', { cause }), { code: 'E_X', status: 503 });
    const { data } = clean({ error }, { maxStringLength: 10_000 });
    expect(data['error']).toMatchObject({ name: 'Error', message: 'outer', code: 'E_X', status: 503, cause: { name: 'RangeError', message: 'inner' } });
    expect((data['error'] as { stack: string }).stack).toContain('outer');
  });

  it('turns Map into an object and Set into an array', () => {
    const { data } = clean({ m: new Map<unknown, unknown>([['a', 1], [2, 'b']]), s: new Set([1, 'x']) });
    expect(data).toEqual({ m: { a: 1, '2': 'b' }, s: [1, 'x'] });
  });

  it('drops functions, symbols and undefined (null inside arrays), and symbol keys', () => {
    const { data, changed } = clean({ f: () => 1, s: Symbol('s'), u: undefined, [Symbol('k')]: 1, list: [() => 1, Symbol('t'), undefined, 2] });
    expect(data).toEqual({ list: [null, null, null, 2] });
    expect(changed).toBe(true);
  });

  it('uses toJSON, and survives one that throws', () => {
    const money = { toJSON: () => '12.50 EUR' };
    const broken = { toJSON: () => { throw new Error('no'); } };
    expect(clean({ money, broken }).data).toEqual({ money: '12.50 EUR', broken: '[Unserializable]' });
  });

  it('confines a throwing getter to its own key', () => {
    const input = { ok: 1 };
    Object.defineProperty(input, 'bad', { enumerable: true, get: () => { throw new Error('getter'); } });
    expect(clean(input)).toEqual({ data: { ok: 1, bad: '[Unserializable]' }, changed: true });
  });

  it('survives a Proxy that throws on every trap, at the top and nested', () => {
    expect(() => clean(hostileProxy())).not.toThrow();
    expect(clean({ p: hostileProxy(), ok: true }).data).toEqual({ p: '[Unserializable]', ok: true });
  });

  it('cuts cycles but serialises shared references in full', () => {
    const shared = { id: 1 };
    const node: Record<string, unknown> = { shared, again: shared };
    node['self'] = node;
    const list: unknown[] = [1];
    list.push(list);
    const map = new Map<string, unknown>();
    map.set('me', map);
    const { data } = clean({ node, list, map });
    expect(data).toEqual({
      node: { shared: { id: 1 }, again: { id: 1 }, self: '[Circular]' },
      list: [1, '[Circular]'],
      map: { me: '[Circular]' },
    });
  });

  it('bounds depth, keys and array length', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(50)}1${'}'.repeat(50)}`) as Record<string, unknown>;
    const depthOf = (value: unknown): number => (typeof value === 'object' && value !== null ? 1 + depthOf((value as { a: unknown }).a) : 0);
    const { data } = clean(deep);
    expect(JSON.stringify(data)).toContain('[MaxDepth]');
    expect(depthOf(data)).toBe(10);
    expect(depthOf(clean(deep, { maxDepth: 3 }).data)).toBe(3);

    const wide = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, { i }]));
    const keys = Object.keys(clean(wide, { maxKeys: 5 }).data);
    expect(keys).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', '…']);
    expect(clean(wide, { maxKeys: 5 }).data['…']).toBe('[65 more keys]');
    expect(clean({ a: Array.from({ length: 10 }, (_, i) => i) }, { maxArrayLength: 3 }).data).toEqual({ a: [0, 1, 2, '[7 more items]'] });
  });

  it('copies class instances and null-prototype objects by their own fields', () => {
    class Point { constructor(readonly x: number, readonly y: number) {} }
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: 'v' });
    expect(clean({ p: new Point(1, 2), bare }).data).toEqual({ p: { x: 1, y: 2 }, bare: { k: 'v' } });
    expect(clean(bare)).toEqual({ data: { k: 'v' }, changed: false });
  });

  it('always returns something JSON.stringify accepts', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['c'] = cyclic;
    const inputs: unknown[] = [hostileProxy(), cyclic, { b: 1n }, [Symbol('x')], () => 1, Symbol('y'), new Date(Number.NaN), { m: new Map([[{}, new Set([cyclic])]]) }];
    for (const input of inputs) expect(() => JSON.stringify(clean(input).data)).not.toThrow();
  });
});

/** An array whose item reads are counted (a Proxy: to the sanitiser it is an array like any other). */
function countedArray(items: unknown[], counter: { reads: number }): unknown[] {
  return new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) counter.reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

const OVER_BUDGET = { truncated: true, original_bytes_at_least: expect.any(Number) };

describe('sanitizeEventData: the work is bounded, whatever the shape', () => {
  it('9 nested arrays of 1,000 references to one object complete, as an over-budget marker (counted as oversized)', () => {
    let nested: unknown = { a: 1, b: 'two' };
    for (let level = 0; level < 9; level++) nested = Array.from({ length: 1000 }, () => nested);
    const result = clean({ nested });
    expect(result).toEqual({ data: OVER_BUDGET, changed: true, oversized: true });
    expect(result.data['original_bytes_at_least']).toBeGreaterThan(0);
  });

  it('reads at most the node budget from shared references (1,000,000 paths through 100 × 100 × 100)', () => {
    const counter = { reads: 0 };
    const row = countedArray(Array.from({ length: 100 }, (_, i) => i), counter);
    const grid = Array.from({ length: 100 }, () => Array.from({ length: 100 }, () => row));
    expect(clean({ grid }).data).toEqual(OVER_BUDGET);
    expect(counter.reads).toBeLessThanOrEqual(nodeBudget());
  });

  it('reads at most the node budget from a 1,000 × 1,000 array', () => {
    const counter = { reads: 0 };
    const matrix = Array.from({ length: 1000 }, () => countedArray(Array.from({ length: 1000 }, (_, i) => i), counter));
    expect(clean({ matrix }).data).toEqual(OVER_BUDGET);
    expect(counter.reads).toBeLessThanOrEqual(nodeBudget());
  });

  it('counts enumerated keys as work: 1,000 references to an object of 1,000 undefined values (output: nothing) stop at the budget', () => {
    let reads = 0;
    const empty: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i++) Object.defineProperty(empty, `k${i}`, { enumerable: true, get: () => (reads++, undefined) });
    expect(clean({ wide: Array.from({ length: 1000 }, () => empty) }).data).toEqual(OVER_BUDGET);
    expect(reads).toBeLessThanOrEqual(nodeBudget());
  });

  it('a getter that returns a new large array on every read is called a bounded number of times', () => {
    let calls = 0;
    const holder = Object.defineProperty({}, 'big', { enumerable: true, get: () => (calls++, Array.from({ length: 5000 }, (_, i) => i)) });
    expect(clean({ list: Array.from({ length: 1000 }, () => holder) }).data).toEqual(OVER_BUDGET);
    // Each read walks 1,000 items of the new array: the node budget allows about 32 of them, not 1,000.
    expect(calls).toBeLessThanOrEqual(Math.ceil(nodeBudget() / 1000) + 1);
  });

  it('a 100,000-key object becomes the over-budget marker, not 1,000 keys and a count', () => {
    const keys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    expect(clean(keys)).toEqual({ data: OVER_BUDGET, changed: true, oversized: true });
    expect(clean({ nested: keys }).data).toEqual(OVER_BUDGET);
  });

  it('a toJSON that returns a fresh object with a toJSON of its own ends at maxDepth', () => {
    const endless = (): object => ({ toJSON: endless });
    expect(JSON.stringify(clean({ endless: endless() }).data)).toContain('[MaxDepth]');
  });

  it('nesting 10,000 deep costs maxDepth levels (no recursion beyond them)', () => {
    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    expect(JSON.stringify(clean(deep).data)).toContain('[MaxDepth]');
  });

  it('a 1 MiB key is never copied into the result: the data is over budget', () => {
    const key = 'k'.repeat(2 ** 20);
    const { data, oversized } = clean({ [key]: 1 });
    expect(oversized).toBe(true);
    expect(data).toEqual(OVER_BUDGET);
    expect(data['original_bytes_at_least']).toBeGreaterThanOrEqual(2 ** 20);
    expect(clean({ nested: new Map([[key, 1]]) }).data).toEqual(OVER_BUDGET);
  });

  it('the lower bound is honest: never more than the JSON of the data as sanitised without a budget', () => {
    const data = { list: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `n${i}`, tags: ['a', 'bc'], ok: true, none: null })) };
    const full = clean(data, { maxEventBytes: 2 ** 20 }).data;
    const bounded = clean(data, { maxEventBytes: 256 }).data;
    expect(bounded).toEqual(OVER_BUDGET);
    expect(bounded['original_bytes_at_least']).toBeLessThanOrEqual(Buffer.byteLength(JSON.stringify(full)));
  });

  it('data whose JSON fits in maxEventBytes is never cut by the budget (every JSON value costs 2 bytes or more)', () => {
    const data = {
      digits: Array.from({ length: 1000 }, (_, i) => i % 10),
      empties: Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? [] : {})),
      pairs: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [String.fromCharCode(65 + (i % 26)) + String(i), i % 10])),
      nested: [[[0]], { '': null }, true],
    };
    const maxEventBytes = Buffer.byteLength(JSON.stringify(data));
    expect(clean(data, { maxEventBytes })).toEqual({ data, changed: false });
  });

  it('a huge BigInt is shown by size, not converted (quadratic in V8)', () => {
    expect(clean({ n: 1n << 10_000_000n }).data).toEqual({ n: '[BigInt over 4096 bits]' });
    expect(clean({ n: -(2n ** 100n) }).data).toEqual({ n: '-1267650600228229401496703205376' });
  });

  it('cuts a RegExp source and a URL like any string', () => {
    const { data } = clean({ re: new RegExp('a'.repeat(100)), url: new URL(`https://example.com/${'p'.repeat(100)}`) });
    expect(data['re']).toMatch(/…\[truncated \d+ chars\]$/);
    expect(data['url']).toMatch(/…\[truncated \d+ chars\]$/);
  });

  it('a cut string keeps its code units exactly, lone surrogates included', () => {
    const text = 'a\ud800b\udc00😀'.repeat(20);
    expect(truncate(text, 33)).toBe(`${text.slice(0, 33)}…[truncated ${text.length - 33} chars]`);
    expect(clean({ s: '\udfff'.repeat(40) }).data['s']).toBe(`${'\udfff'.repeat(32)}…[truncated 8 chars]`);
  });
});

describe('sanitizeEventData: __proto__, constructor and prototype are ordinary keys', () => {
  const hostile = () =>
    JSON.parse('{"__proto__":{"password":"p","ok":1},"constructor":{"prototype":{"token":"t"}},"prototype":"x","list":[{"__proto__":[1]}]}') as Record<string, unknown>;

  it('arrive as own keys with their values; no key appears where the input had none; nothing is polluted', () => {
    const { data } = clean(hostile());
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor', 'prototype', 'list']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(JSON.stringify(data)).toBe('{"__proto__":{"password":"p","ok":1},"constructor":{"prototype":{"token":"t"}},"prototype":"x","list":[{"__proto__":[1]}]}');
    const enumerated: string[] = [];
    for (const key in data) enumerated.push(key);
    expect(enumerated).toEqual(['__proto__', 'constructor', 'prototype', 'list']);
    expect(({} as Record<string, unknown>)['password']).toBeUndefined();
  });

  it('the same through the fast path (flat), a Map, an Error and a large object', () => {
    expect(JSON.stringify(clean(JSON.parse('{"__proto__":"flat","constructor":1}')).data)).toBe('{"__proto__":"flat","constructor":1}');
    expect(JSON.stringify(clean({ m: new Map<string, unknown>([['__proto__', { a: 1 }]]) }).data)).toBe('{"m":{"__proto__":{"a":1}}}');
    const error = Object.defineProperty(new Error('e'), '__proto__', { value: { a: 1 }, enumerable: true });
    expect(Object.keys(clean({ error }).data['error'] as object)).toContain('__proto__');
    const large = JSON.parse(`{"__proto__":{"a":1},${Array.from({ length: 100 }, (_, i) => `"k${i}":${i}`).join(',')}}`) as object;
    const out = clean({ large }, { maxStringLength: 8192 }).data['large'] as Record<string, unknown>;
    expect(Object.keys(out)[0]).toBe('__proto__');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
