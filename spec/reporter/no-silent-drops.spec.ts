import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { DEFAULT_BUS_EVENTS, telemetry } from '../../src/bus/telemetry.js';
import type { BusEvent } from '../../src/reporter/types.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';

describe('the default rate limit and a busy service', () => {
  it('one name at 5,000 events/s for 2 s loses nothing with default options', async () => {
    const { scheduler, reporter, warnings, sink, settleAll } = virtualReporter({ options: { attachEvents: false } });
    const accepted: boolean[] = [];
    // 5 events every millisecond of virtual time, for 2 seconds.
    for (let ms = 0; ms < 2000; ms++) {
      scheduler.schedule(() => {
        for (let k = 0; k < 5; k++) accepted.push(reporter.log('http.request', { ms, k }));
      }, ms);
    }
    scheduler.flush();
    expect(await settleAll(reporter.stop())).toBe(true);
    expect(accepted).toHaveLength(10_000);
    expect(accepted.every(Boolean)).toBe(true);
    expect(reporter.stats().dropped.rateLimited).toBe(0);
    expect(sink.generic('http.request')).toHaveLength(10_000);
    expect(warnings).toEqual([]);
  });
});

describe('raising maxQueueSize alone', () => {
  it('raises the byte bound with it: a 200,000-event queue takes a 200,000-event burst against a backend that does not answer', () => {
    const { reporter } = virtualReporter({ fallback: { hang: true }, options: { attachEvents: false, maxQueueSize: 200_000, rateLimitPerTypePerSecond: 0 } });
    let refused = 0;
    for (let i = 0; i < 199_990; i++) if (!reporter.log('burst', { i, path: '/api/v1/items', status: 200 })) refused++;
    expect(refused).toBe(0);
    expect(reporter.stats()).toMatchObject({ queued: 199_991, dropped: { queueFull: 0 } });
  });
});

describe('a configured rate limit that refuses', () => {
  it('tells the logger once per streak and the backend per name in rxtel.rate_limited', async () => {
    const { scheduler, reporter, warnings, sink, settleAll } = virtualReporter({ options: { attachEvents: false, rateLimitPerTypePerSecond: 10, flushIntervalMs: 100 } });
    // A streak for `noisy` (30 in one instant: 20 refused), then it calms down, then a second streak.
    for (let i = 0; i < 30; i++) reporter.log('noisy', { i });
    for (let i = 0; i < 12; i++) reporter.log('chatty', { i });
    scheduler.schedule(() => reporter.log('noisy', { calm: true }), 2000);
    scheduler.schedule(() => {
      for (let i = 0; i < 15; i++) reporter.log('noisy', { again: i });
    }, 2001);
    scheduler.flush();
    expect(await settleAll(reporter.stop())).toBe(true);

    expect(reporter.stats().dropped.rateLimited).toBe(20 + 2 + 6);
    const streaks = warnings.filter((w) => w.startsWith('rate limit'));
    expect(streaks).toEqual([
      expect.stringContaining('`noisy` events over 10/s'),
      expect.stringContaining('`chatty` events over 10/s'),
      expect.stringContaining('`noisy` events over 10/s'),
    ]);
    const summaries = sink.generic('rxtel.rate_limited').map((e) => e.event_data);
    // The first report goes at once (the next turn), the next no sooner than 5 s later (here: on stop).
    expect(summaries).toEqual([
      { suppressed: { noisy: 20, chatty: 2 }, interval_ms: null },
      { suppressed: { noisy: 6 }, interval_ms: expect.any(Number) },
    ]);
    // Every refusal is in a summary, and no summary was itself limited or counted.
    const told = summaries.flatMap((s) => Object.values(s['suppressed'] as Record<string, number>)).reduce((a, b) => a + b, 0);
    expect(told).toBe(reporter.stats().dropped.rateLimited);
  });
});

describe('attach() and the telemetry bus', () => {
  it('counts what it ignores as dropped.unattributed and names the first one to the logger', async () => {
    const { reporter, warnings, settleAll } = virtualReporter({ options: { attachEvents: false } });
    const source = new Subject<BusEvent>();
    reporter.attach(source);
    source.next({ name: 'db.query.stop', measurements: { duration_ms: 1 }, metadata: {} });
    source.next({ name: 'db.query.stop', measurements: {}, metadata: { session_id: 'someone-else' } });
    source.next({ name: 'db.query.stop', measurements: {}, metadata: { session_id: reporter.sessionId } });
    expect(reporter.stats().dropped.unattributed).toBe(2);
    expect(warnings).toEqual([expect.stringContaining('ignored `db.query.stop`, which has no metadata.session_id')]);
    expect(await settleAll(reporter.stop())).toBe(true);
    expect(reporter.stats().delivered).toBe(3);
  });

  it('names not asked for are not counted', () => {
    const { reporter } = virtualReporter({ options: { attachEvents: false } });
    const source = new Subject<BusEvent>();
    reporter.attach(source, { events: ['wanted.*'] });
    source.next({ name: 'other.thing', measurements: {}, metadata: {} });
    expect(reporter.stats().dropped.unattributed).toBe(0);
  });

  it("docs/capture.md's telemetry.emit('db.query.stop', …) example is forwarded as the docs configure it", async () => {
    const { reporter, sink, settleAll } = virtualReporter({ options: { events: [...DEFAULT_BUS_EVENTS, 'db.query.*'] } });
    telemetry.emit('db.query.stop', { duration_ms: 12 }, { session_id: reporter.sessionId, table: 'users' });
    expect(await settleAll(reporter.stop())).toBe(true);
    expect(sink.generic('db.query.stop').map((e) => e.event_data)).toEqual([{ measurements: { duration_ms: 12 }, metadata: { table: 'users' } }]);
  });
});
