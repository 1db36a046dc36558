import { describe, expect, it } from '@jest/globals';
import { EventRecord } from '../../src/events/event-record.js';
import { DEBUG_LINES_PER_SECOND, DebugLog } from '../../src/stats/debug-log.js';
import { runUntil, virtualScheduler } from '../helpers/virtual-time.js';

function setup(maxPerSecond?: number) {
  const scheduler = virtualScheduler();
  const lines: string[] = [];
  const log = new DebugLog({ warn: (m) => lines.push(m) }, scheduler, maxPerSecond);
  return { scheduler, lines, log };
}

describe('DebugLog', () => {
  it('says what was refused and why, in the drop-reason table\'s words, never the data', () => {
    const { log, lines } = setup();
    log.refused(new EventRecord('GENERIC_EVENT', 'INFO', 0, 'user.action', { password: 'hunter2' }), 'rateLimited');
    log.refused(new EventRecord('GENERIC_EVENT', 'INFO', 0, undefined, undefined), 'invalid');
    log.refused(new EventRecord('GENERIC_EVENT', 'INFO', 0, 'x'.repeat(100), {}), 'queueFull');
    log.refused(new EventRecord('GENERIC_EVENT', 'INFO', 0, 'old', {}), 'evicted');
    expect(lines).toEqual([
      'debug: refused GENERIC_EVENT `user.action`: rateLimited (over the per-type rate limit)',
      'debug: refused a GENERIC_EVENT without a valid name: invalid (not a valid event (no name, a refused track() event, or beforeSend threw))',
      `debug: refused GENERIC_EVENT \`${'x'.repeat(64)}…\`: queueFull (the queue was full)`,
      'debug: dropped GENERIC_EVENT `old`: evicted (pushed out of the full queue by a newer event)',
    ]);
  });

  it('tells each batch\'s fate: delivered, partially delivered, failed', () => {
    const { log, lines } = setup();
    log.batch({ sink: 's', size: 3, attempts: 1, delivered: 3, refused: 0, gaveUp: 0 });
    log.batch({ sink: 's', size: 3, attempts: 2, delivered: 2, refused: 1, gaveUp: 0, error: 'backend: 1 refused' });
    log.batch({ sink: 's', size: 3, attempts: 4, delivered: 0, refused: 0, gaveUp: 3, error: 's: 503' });
    log.retrying('s', 3, 1, 1049.6, 's: 503');
    expect(lines).toEqual([
      'debug: sink s: batch of 3 delivered after 1 attempt(s) (3 delivered)',
      'debug: sink s: batch of 3 partially delivered after 2 attempt(s) (2 delivered, 1 refused by the backend): backend: 1 refused',
      'debug: sink s: batch of 3 failed after 4 attempt(s) (0 delivered, 3 given up): s: 503',
      'debug: sink s: batch of 3: attempt 1 failed (s: 503), retrying in 1050 ms',
    ]);
  });

  it('writes at most N lines a second and sums up the rest at the end of that second', () => {
    const { log, lines, scheduler } = setup(3);
    for (let i = 0; i < 10; i++) log.line(`l${i}`);
    expect(lines).toEqual(['debug: l0', 'debug: l1', 'debug: l2']);
    runUntil(scheduler, 999);
    expect(lines).toHaveLength(3);
    runUntil(scheduler, 1000);
    expect(lines[3]).toBe('debug: … 7 more debug line(s) suppressed (at most 3 a second)');
    log.line('next second');
    expect(lines[4]).toBe('debug: next second');
    // Nothing held back, nothing summed up.
    runUntil(scheduler, 5000);
    expect(lines).toHaveLength(5);
  });

  it('bounds a storm to N + 1 lines a second whatever its size', () => {
    const { log, lines, scheduler } = setup();
    for (let second = 0; second < 5; second++) {
      runUntil(scheduler, second * 1000);
      for (let i = 0; i < 10_000; i++) log.line('storm');
    }
    runUntil(scheduler, 6000);
    expect(lines).toHaveLength(5 * (DEBUG_LINES_PER_SECOND + 1));
    expect(lines.filter((l) => l.includes(`${10_000 - DEBUG_LINES_PER_SECOND} more`))).toHaveLength(5);
  });

  it('uses the logger\'s debug method when it has one', () => {
    const warned: string[] = [];
    const debugged: string[] = [];
    new DebugLog({ warn: (m) => warned.push(m), debug: (m) => debugged.push(m) }, virtualScheduler()).line('hello');
    expect([warned, debugged]).toEqual([[], ['debug: hello']]);
  });
});
