import { describe, expect, it } from '@jest/globals';
import { derivedSpanId, isSpanId, isTraceId, sessionTraceId, spanIdOf, traceIdOf } from '../../../src/sinks/otlp/ids.js';

const TRACE = /^(?!0{32}$)[0-9a-f]{32}$/;
const SPAN = /^(?!0{16}$)[0-9a-f]{16}$/;

describe('trace and span ids', () => {
  it.each<[unknown, string | undefined]>([
    ['5b8efff798038103d269b633813fc60c', '5b8efff798038103d269b633813fc60c'],
    ['5B8EFFF798038103D269B633813FC60C', '5b8efff798038103d269b633813fc60c'],
    ['0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10', '0b6f3c9e3f5a4c1e9a530d2f4f1b7a10'],
    ['00000000-0000-0000-0000-000000000000', undefined],
    ['0'.repeat(32), undefined],
    ['5b8efff798038103d269b633813fc60', undefined],
    ['5b8efff7-98038103d269b633813fc60c', undefined],
    [42, undefined],
  ])('traceIdOf(%p) → %p', (value, expected) => {
    expect(traceIdOf(value)).toBe(expected);
  });

  it.each<[unknown, string | undefined]>([
    ['EEE19B7EC3C1B174', 'eee19b7ec3c1b174'],
    ['0'.repeat(16), undefined],
    ['eee19b7ec3c1b17', undefined],
    [null, undefined],
  ])('spanIdOf(%p) → %p', (value, expected) => {
    expect(spanIdOf(value)).toBe(expected);
  });

  it('the session trace: a UUID session id\'s own 16 bytes, else a stable digest; never all zeros', () => {
    expect(sessionTraceId('0B6F3C9E-3F5A-4C1E-9A53-0D2F4F1B7A10')).toBe('0b6f3c9e3f5a4c1e9a530d2f4f1b7a10');
    for (const session of ['my-session', '', '00000000-0000-0000-0000-000000000000']) {
      expect(sessionTraceId(session)).toMatch(TRACE);
      expect(sessionTraceId(session)).toBe(sessionTraceId(session));
    }
    expect(sessionTraceId('a')).not.toBe(sessionTraceId('b'));
  });

  it('derived span ids: valid, stable, and different for different parts (length-prefixed)', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = derivedSpanId('session', `e-${i}`);
      expect(id).toMatch(SPAN);
      expect(isSpanId(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
    expect(derivedSpanId('ab', 'c')).not.toBe(derivedSpanId('a', 'bc'));
    expect(derivedSpanId('x')).toBe(derivedSpanId('x'));
  });

  it('the guards take only lower-case hex of the right length, not all zeros', () => {
    expect(isTraceId('5b8efff798038103d269b633813fc60c')).toBe(true);
    expect(isTraceId('5B8EFFF798038103D269B633813FC60C')).toBe(false);
    expect(isSpanId('0'.repeat(16))).toBe(false);
  });
});
