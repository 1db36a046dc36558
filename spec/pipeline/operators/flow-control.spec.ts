import { describe, expect, it } from '@jest/globals';
import { map, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Counters } from '../../../src/stats/counters.js';
import { EventRecord } from '../../../src/events/event-record.js';
import type { Command } from '../../../src/inbox/commands.js';
import { MAX_BUCKETS, rateLimitPerType } from '../../../src/pipeline/operators/rate-limit.js';
import { DEFAULT_REDACT_KEYS, keyMatcher, redactEvents, REDACTED } from '../../../src/pipeline/operators/redact.js';
import { hashToUnit, sampleEvents } from '../../../src/pipeline/operators/sample.js';
import { virtualReporter } from '../../helpers/virtual-reporter.js';
import { virtualScheduler } from '../../helpers/virtual-time.js';

const generic = (name: string, data: unknown = {}) => new EventRecord('GENERIC_EVENT', 'INFO', 0, name, data);
const exception = () => new EventRecord('UNHANDLED_EXCEPTION', 'ERROR', 0, 'UNHANDLED_EXCEPTION', { error_type: 'E', error_message: 'm' });
const marbles = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const nameOf = (c: Command) => (c as EventRecord).name as string;

describe('rateLimitPerType (marbles, virtual time)', () => {
  it('keeps at most MAX_BUCKETS names: past that the oldest bucket goes, which only lets more through', () => {
    const scheduler = marbles();
    const counters = new Counters();
    const passed: string[] = [];
    const input = new Subject<Command>();
    input.pipe(rateLimitPerType({ perSecond: 1, scheduler, counters }), map(nameOf)).subscribe((name) => passed.push(name));
    input.next(generic('first'));
    input.next(generic('first'));
    expect(counters.dropped.rateLimited).toBe(1);
    for (let i = 0; i < MAX_BUCKETS; i++) input.next(generic(`name-${i}`));
    // Same instant: had its bucket been kept, `first` would still be refused.
    input.next(generic('first'));
    expect(passed.filter((n) => n === 'first')).toHaveLength(2);
    expect(counters.dropped.rateLimited).toBe(1);
  });

  it('lets a burst of N through per name, then N per second', () => {
    const scheduler = marbles();
    scheduler.run(({ hot, expectObservable }) => {
      const counters = new Counters();
      const values = { a: generic('a'), b: generic('b') };
      // 3 'a' at once (limit 2): the third is refused; at 250 ms half a token is back (refused),
      // at 500 ms a whole one (passes). 'b' has its own bucket.
      const source = hot<Command>('(aaab) 244ms a 249ms a', values);
      const out = source.pipe(rateLimitPerType({ perSecond: 2, scheduler, counters }), map(nameOf));
      expectObservable(out).toBe('(aab) 495ms a', { a: 'a', b: 'b' });
      scheduler.flush();
      expect(counters.snapshot().dropped.rateLimited).toBe(2);
    });
  });

  it('never limits exceptions, honours per-name overrides, and 0 means off', () => {
    const scheduler = marbles();
    scheduler.run(({ hot, expectObservable }) => {
      const counters = new Counters();
      const values = { x: exception(), u: generic('user_error'), v: generic('vip'), n: generic('noisy') };
      const out = hot<Command>('(xxxuuuvvvnnn)', values).pipe(
        rateLimitPerType({ perSecond: 1, overrides: { vip: 0, noisy: 2 }, scheduler, counters }),
        map(nameOf),
      );
      expectObservable(out).toBe('(xxxuuuvvvnn)', { x: 'UNHANDLED_EXCEPTION', u: 'user_error', v: 'vip', n: 'noisy' });
    });
  });

  it('releases buckets of idle names: with MAX_BUCKETS names idle for a second, a name in use keeps its bucket', () => {
    // What a kept idle bucket would cost shows at MAX_BUCKETS: the next new name pushes out the
    // oldest bucket, here `hot`'s, which is in use (half empty), and `hot` would get a full one.
    const scheduler = virtualScheduler();
    const counters = new Counters();
    const passed: string[] = [];
    const input = new Subject<Command>();
    input.pipe(rateLimitPerType({ perSecond: 2, scheduler, counters }), map(nameOf)).subscribe((name) => passed.push(name));
    const at = (ms: number, names: string[]) => scheduler.schedule(() => names.forEach((name) => input.next(generic(name))), ms);
    // At 0: `hot` first (1 of its 2 tokens left), then names that never come back: MAX_BUCKETS buckets.
    at(0, ['hot', ...Array.from({ length: MAX_BUCKETS - 1 }, (_, i) => `idle-${i}`)]);
    at(500, ['hot', 'hot']); // refilled to 2, both pass: empty
    // At 1000 the idle names have been idle for a second and are released, so `fresh` finds room;
    // `hot` keeps its bucket (1 token back in 500 ms): one passes, one is refused.
    at(1000, ['fresh', 'hot', 'hot']);
    scheduler.flush();
    expect(passed.filter((name) => name === 'hot')).toHaveLength(4);
    expect(passed.slice(-2)).toEqual(['fresh', 'hot']);
    expect(counters.dropped.rateLimited).toBe(1);
  });
});

describe('sampleEvents', () => {
  it('keeps about the rate, at random, and never samples exceptions', () => {
    const counters = new Counters();
    let draw = 0;
    const draws = [0.1, 0.6, 0.2, 0.9];
    const scheduler = marbles();
    scheduler.run(({ hot, expectObservable }) => {
      const out = hot<Command>('(abcdx)', { a: generic('e'), b: generic('e'), c: generic('e'), d: generic('e'), x: exception() }).pipe(
        sampleEvents({ sampleRate: 0.5, random: () => draws[draw++]!, counters }),
        map(nameOf),
      );
      expectObservable(out).toBe('(acx)', { a: 'e', c: 'e', x: 'UNHANDLED_EXCEPTION' });
    });
    expect(counters.snapshot().dropped.sampled).toBe(2);
  });

  it('keeps or drops a whole trace together, by a hash of trace_id or correlation_id', () => {
    const counters = new Counters();
    const kept = 'trace-kept';
    const dropped = Array.from({ length: 100 }, (_, i) => `t${i}`).find((id) => hashToUnit(id) >= 0.5)!;
    expect(hashToUnit(kept) === hashToUnit(kept)).toBe(true);
    const trace = (id: string) => generic('step', { trace_id: id });
    const scheduler = marbles();
    scheduler.run(({ hot, expectObservable }) => {
      const rate = hashToUnit(kept) + 1e-9; // kept is just inside the rate
      const out = hot<Command>('(aaab)', { a: trace(kept), b: generic('step', { correlation_id: dropped }) }).pipe(
        sampleEvents({ sampleRate: Math.min(rate, 0.5), sampleRates: { step: rate > 0.5 ? rate : 0.5 }, random: () => 0, counters }),
        map((c) => ((c as EventRecord).data as { trace_id?: string }).trace_id ?? 'corr'),
      );
      const expected = hashToUnit(dropped) < Math.max(rate, 0.5) ? '(aaab)' : '(aaa)';
      expectObservable(out).toBe(expected, { a: kept, b: 'corr' });
    });
  });
});

describe('redaction', () => {
  it.each([
    ['password', true], ['dbPassword', true], ['X-Api-Key', true], ['apiKey', true], ['access_token', true], ['accessToken', true],
    ['Authorization', true], ['cookie', true], ['set-cookie', true], ['client_secret', true],
    ['input_tokens', false], ['total_tokens', false], ['token_count', false], ['author', false], ['username', false],
  ])('the default list: %s → %p', (key, expected) => {
    expect(keyMatcher(DEFAULT_REDACT_KEYS)(key)).toBe(expected);
  });

  it('replaces values at any depth before the event is queued, and bounds the size', () => {
    const scheduler = marbles();
    const counters = new Counters();
    scheduler.run(({ hot, expectObservable }) => {
      const data = { user: 'ada', headers: { authorization: 'Bearer abc', accept: 'json' }, list: [{ password: 'p' }], usage: { input_tokens: 3 } };
      const big = { blob: 'x'.repeat(2000) };
      const out = hot<Command>('(ab)', { a: generic('req', data), b: generic('big', big) }).pipe(
        redactEvents({ redactKeys: DEFAULT_REDACT_KEYS, maxEventBytes: 1024, counters }),
        map((c) => (c as EventRecord).data),
      );
      expectObservable(out).toBe('(ab)', {
        a: { user: 'ada', headers: { authorization: REDACTED, accept: 'json' }, list: [{ password: REDACTED }], usage: { input_tokens: 3 } },
        b: { truncated: true, original_bytes: 2011 },
      });
    });
    expect(counters.snapshot().coerced.oversized).toBe(1);
  });

  it('takes user patterns, RegExps included, and leaves clean data untouched', () => {
    const matches = keyMatcher(['ssn', /^card_/]);
    expect([matches('ssn'), matches('user_ssn'), matches('card_number'), matches('password')]).toEqual([true, true, true, false]);
  });

  it('a global or sticky RegExp matches every time (its lastIndex never lets a secret through)', () => {
    // Keys longer than the cache takes, so each call tests the RegExp again.
    const key = `card_${'x'.repeat(100)}`;
    const matches = keyMatcher([/^card_/g, /ssn/y]);
    expect([matches(key), matches(key), matches(key)]).toEqual([true, true, true]);
    expect([matches('ssn'), matches('ssn')]).toEqual([true, true]);
  });

  it('a RegExp whose test throws redacts rather than breaking the pipeline', async () => {
    class Hostile extends RegExp {
      override get source(): string {
        throw new Error('no source');
      }
      override test(): boolean {
        throw new Error('no test');
      }
    }
    const { reporter, sink, settleAll } = virtualReporter({ options: { attachEvents: false, redactKeys: ['password', new Hostile('x')] } });
    expect(reporter.log('login', { user: 'ada' })).toBe(true);
    expect(await settleAll(reporter.stop())).toBe(true);
    expect(sink.events.find((e) => e.event === 'GENERIC_EVENT' && e.event_name === 'login')).toMatchObject({ event_data: { user: REDACTED } });
  });
});
