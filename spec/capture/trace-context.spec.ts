import { describe, expect, it } from '@jest/globals';
import { formatTraceparent, parseTraceparent, parseTracestate } from '../../src/capture/trace-context.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';

describe('parseTraceparent (W3C Trace Context, REC 2021-11-23)', () => {
  it.each([
    ['the spec’s example', `00-${T}-${P}-01`, { traceId: T, parentSpanId: P, flags: 1 }],
    ['not sampled', `00-${T}-${P}-00`, { traceId: T, parentSpanId: P, flags: 0 }],
    ['other flag bits kept', `00-${T}-${P}-09`, { traceId: T, parentSpanId: P, flags: 9 }],
    ['surrounding whitespace', `  00-${T}-${P}-01 `, { traceId: T, parentSpanId: P, flags: 1 }],
    ['a later version, exactly 55 characters', `cc-${T}-${P}-01`, { traceId: T, parentSpanId: P, flags: 1 }],
    ['a later version with more fields after a dash', `cc-${T}-${P}-01-what-the-future-brings`, { traceId: T, parentSpanId: P, flags: 1 }],
  ])('reads %s', (_label, header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${P}-01`],
    ['all-zero parent id', `00-${T}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${T}-${P}-01`],
    ['upper-case hex', `00-${T.toUpperCase()}-${P}-01`],
    ['version 00 with a fifth field', `00-${T}-${P}-01-extra`],
    ['a later version followed by no dash', `cc-${T}-${P}-01x`],
    ['short trace id', `00-${T.slice(1)}-${P}-01`],
    ['short parent id', `00-${T}-${P.slice(1)}-01`],
    ['non-hex flags', `00-${T}-${P}-0g`],
    ['non-hex version', `0x-${T}-${P}-01`],
    ['wrong separators', `00_${T}_${P}_01`],
    ['several headers', [`00-${T}-${P}-01`, `00-${T}-${P}-01`]],
  ])('refuses %s', (_label, header) => {
    expect(parseTraceparent(header as string | string[] | undefined)).toBeUndefined();
  });
});

describe('formatTraceparent', () => {
  it('writes version 00, sampled by default, and round-trips', () => {
    expect(formatTraceparent(T, P)).toBe(`00-${T}-${P}-01`);
    expect(formatTraceparent(T, P, 0)).toBe(`00-${T}-${P}-00`);
    expect(parseTraceparent(formatTraceparent(T, P))).toEqual({ traceId: T, parentSpanId: P, flags: 1 });
  });
});

describe('parseTracestate', () => {
  it('carries a well-formed header through, joining several and dropping empty members', () => {
    expect(parseTracestate('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(parseTracestate(['rojo=1', ' , congo=2 '])).toBe('rojo=1,congo=2');
    expect(parseTracestate('tenant@vendor=x')).toBe('tenant@vendor=x');
  });

  it.each([
    ['absent', undefined],
    ['empty', ' , '],
    ['a member without =', 'rojo'],
    ['an upper-case key', 'Rojo=1'],
    ['a value with a comma-free but = inside', 'a=b=c'],
    ['more than 32 members', Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')],
  ])('drops %s', (_label, header) => {
    expect(parseTracestate(header)).toBeUndefined();
  });

  it('bounds it to 512 characters: long members first, then from the end', () => {
    const long = `big=${'x'.repeat(200)}`;
    const members = [long, ...Array.from({ length: 20 }, (_, i) => `k${String(i).padStart(2, '0')}=${'v'.repeat(16)}`)];
    const kept = parseTracestate(members.join(','))!;
    expect(kept).not.toContain('big=');
    expect(kept.length).toBeLessThanOrEqual(512);
    expect(kept.startsWith('k00=')).toBe(true);
    const many = Array.from({ length: 32 }, (_, i) => `k${String(i).padStart(2, '0')}=${'v'.repeat(20)}`);
    const cut = parseTracestate(many.join(','))!;
    expect(cut.length).toBeLessThanOrEqual(512);
    expect(cut.split(',')).toEqual(many.slice(0, cut.split(',').length));
  });
});
