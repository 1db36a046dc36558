import { describe, expect, it } from '@jest/globals';
import { capData, capText, capValue, MAX_DEPTH, MAX_STRING_BYTES, TOO_DEEP } from '../../../src/console/ingest/limits.js';
import { durationMs, isoMs, nanosMs } from '../../../src/console/ingest/times.js';

describe('capText', () => {
  it('keeps a string up to 1 MB as it is, markup and all (the UI renders text as text)', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    expect(capText(hostile)).toBe(hostile);
    const exact = 'x'.repeat(MAX_STRING_BYTES);
    expect(capText(exact)).toBe(exact);
  });

  it('cuts a longer one at 1 MB of UTF-8, with a visible marker saying how much went', () => {
    const cut = capText('x'.repeat(MAX_STRING_BYTES + 5));
    expect(cut).toBe(`${'x'.repeat(MAX_STRING_BYTES)}… [cut: 5 more bytes]`);
  });

  it('counts bytes, not characters, and never cuts a character in half', () => {
    // '€' is 3 bytes in UTF-8: 400,000 of them are 1.2 MB.
    const cut = capText('€'.repeat(400_000));
    const kept = cut.slice(0, cut.indexOf('…'));
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(MAX_STRING_BYTES);
    expect(kept).toBe('€'.repeat(333_333));
    expect(cut.endsWith(`… [cut: ${1_200_000 - 999_999} more bytes]`)).toBe(true);
    // A surrogate pair (4 bytes) is kept whole or not at all.
    const emoji = capText('😀'.repeat(300_000));
    expect(emoji.slice(0, emoji.indexOf('…'))).toBe('😀'.repeat(250_000));
  });
});

describe('capValue and capData', () => {
  it('returns the very same object when nothing is over the limits', () => {
    const data = { a: 1, b: ['x', { c: null, d: true }] };
    expect(capValue(data)).toBe(data);
  });

  it('cuts long strings deep inside, copying only what changes', () => {
    const keep = { untouched: true };
    const data = { keep, deep: { list: ['short', 'y'.repeat(MAX_STRING_BYTES + 1)] } };
    const capped = capValue(data) as typeof data;
    expect(capped).not.toBe(data);
    expect(capped.keep).toBe(keep);
    expect(capped.deep.list[0]).toBe('short');
    expect(capped.deep.list[1]).toMatch(/… \[cut: 1 more bytes\]$/);
    expect(data.deep.list[1]).toHaveLength(MAX_STRING_BYTES + 1);
  });

  it('replaces nesting beyond the limit, so that JSON.stringify never throws', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const capped = capData({ deep });
    expect(() => JSON.stringify(capped)).not.toThrow();
    expect(JSON.stringify(capped)).toContain(TOO_DEEP);
    let levels = 0;
    for (let node = capped['deep']; Array.isArray(node); node = node[0]) levels += 1;
    // The record is level 0, its arrays levels 1 to 99; level 100 is the marker.
    expect(levels).toBe(MAX_DEPTH - 1);
  });

  it('makes numbers JSON cannot hold into text, and keeps a `__proto__` key as an ordinary key', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}, "n": 1}') as Record<string, unknown>;
    const capped = capData({ ...data, nan: NaN, big: 10n });
    expect(Object.keys(capped)).toEqual(['__proto__', 'n', 'nan', 'big']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.parse(JSON.stringify(capped))).toEqual(JSON.parse('{"__proto__": {"polluted": true}, "n": 1, "nan": "NaN", "big": "10"}'));
    expect(capData('text')).toEqual({ value: 'text' });
  });
});

describe('times', () => {
  it('isoMs reads RFC 3339 with microseconds and any zone', () => {
    expect(isoMs('1970-01-01T00:00:01.000001Z')).toBe(1000.001);
    expect(isoMs('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(isoMs('2026-01-01T01:00:00.5+01:00')).toBe(Date.UTC(2026, 0, 1) + 500);
    expect(isoMs('2026-01-01T00:00:00.123456789Z')).toBe(Date.UTC(2026, 0, 1) + 123.456);
    for (const bad of ['2026-01-01T00:00:00', 'yesterday', 42, undefined, '2026-13-01T00:00:00Z']) expect(isoMs(bad)).toBeUndefined();
  });

  it('nanosMs reads OTLP fixed64 as a string or a number; 0 is unknown', () => {
    expect(nanosMs('1544712660300000000')).toBe(1544712660300);
    expect(nanosMs('1544712660300001999')).toBe(1544712660300.001);
    expect(nanosMs(1544712660300000000)).toBe(1544712660300);
    for (const bad of ['0', 0, '-1', '1e9', 'x', null, '123456789012345678901']) expect(nanosMs(bad)).toBeUndefined();
  });

  it("durationMs reads Python's str(timedelta) (rxtel's and the Tinker SDK's) and fixed-length ISO 8601 durations", () => {
    expect(durationMs('0:00:05.123456')).toBe(5123.456);
    expect(durationMs('0:00:05')).toBe(5000);
    expect(durationMs('1 day, 2:00:00.000007')).toBe(93_600_000.007);
    expect(durationMs('3 days, 0:00:01')).toBe(259_201_000);
    expect(durationMs('-1 day, 23:59:59')).toBe(-1000);
    expect(durationMs('PT5.5S')).toBe(5500);
    expect(durationMs('P1DT2H')).toBe(93_600_000);
    for (const bad of ['P1Y', 'P1M', '5s', '', 'P', 'PT']) expect(durationMs(bad)).toBeUndefined();
  });
});
