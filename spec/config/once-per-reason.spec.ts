import { describe, expect, it } from '@jest/globals';
import { OncePerReason } from '../../src/config/once-per-reason.js';
import { safeLogger } from '../../src/config/safe-hooks.js';

describe('OncePerReason', () => {
  it('tells each distinct reason once', () => {
    const lines: string[] = [];
    const once = new OncePerReason({ warn: (m) => lines.push(m) }, 'stats().dropped.invalid');
    for (const reason of ['a', 'b', 'a', 'a', 'b', 'c']) once.tell(reason);
    expect(lines).toEqual(['a', 'b', 'c']);
  });

  it('remembers a bounded number of reasons, then says once that new ones are not told', () => {
    const lines: string[] = [];
    const once = new OncePerReason({ warn: (m) => lines.push(m) }, 'stats().dropped.invalid', 3);
    for (let i = 0; i < 1000; i++) once.tell(`reason ${i}`);
    expect(lines).toEqual(['reason 0', 'reason 1', 'reason 2', '3 different refusal reasons told; further new ones are not logged (still counted in stats().dropped.invalid)']);
  });
});

describe('safeLogger', () => {
  it('keeps a debug method safe too, and adds none where there was none', () => {
    const thrower = safeLogger({ warn: () => undefined, debug: () => { throw new Error('boom'); } });
    expect(() => thrower.debug?.('x')).not.toThrow();
    expect(safeLogger({ warn: () => undefined }).debug).toBeUndefined();
    const getter = safeLogger(Object.defineProperty({ warn: () => undefined }, 'debug', { get: () => { throw new Error('getter'); } }));
    expect(getter.debug).toBeUndefined();
  });
});
