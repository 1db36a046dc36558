import { describe, expect, it } from '@jest/globals';
import { sanitizeEventData, truncate } from '../../src/events/sanitize.js';

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
