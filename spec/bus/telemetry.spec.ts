import { describe, expect, it } from '@jest/globals';
import { nameMatcher } from '../../src/bus/match.js';
import { TelemetryBus, telemetry } from '../../src/bus/telemetry.js';
import type { ReporterOptions } from '../../src/config/options.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';

describe('nameMatcher', () => {
  it.each([
    [['a.b'], 'a.b', true],
    [['a.b'], 'a.b.c', false],
    [['rxtel.http.*'], 'rxtel.http.request.stop', true],
    [['rxtel.http.*'], 'rxtel.httpd.x', false],
    [['rxtel.http.*'], 'rxtel.http', false],
    [['*'], 'anything', true],
    [[], 'anything', false],
  ])('%p matches %p: %p', (patterns, name, expected) => {
    expect(nameMatcher(patterns)(name)).toBe(expected);
  });
});

describe('TelemetryBus', () => {
  it('delivers to every listener, and costs nothing without one', () => {
    const bus = new TelemetryBus();
    expect(() => bus.emit('nobody.listens')).not.toThrow();
    const seen: string[] = [];
    bus.events$.subscribe((e) => seen.push(`a:${e.name}`));
    bus.events$.subscribe((e) => seen.push(`b:${e.name}`));
    bus.emit('x.y', { n: 1 }, { k: 'v' });
    expect(seen).toEqual(['a:x.y', 'b:x.y']);
  });
});

describe('the reporter on the bus', () => {
  /** A virtual-time reporter, and what it forwarded once stopped. */
  function setup(options: Partial<ReporterOptions> = {}) {
    const { reporter, sink, settleAll } = virtualReporter({ options });
    const forwarded = async () => {
      await settleAll(reporter.stop());
      return sink.generic();
    };
    return { reporter, forwarded };
  }

  it('forwards its session’s default events, not other sessions’ or missing ids', async () => {
    const { reporter, forwarded } = setup();
    const mine = { session_id: reporter.sessionId, path: '/v1/models' };
    telemetry.emit('rxtel.http.request.stop', { duration_ms: 12, status: 200 }, mine);
    telemetry.emit('rxtel.http.request.stop', { duration_ms: 1 }, { session_id: 'another-session' });
    telemetry.emit('rxtel.http.request.stop', { duration_ms: 2 }, {});
    telemetry.emit('rxtel.http.request.exception', { duration_ms: 3 }, mine);
    telemetry.emit('app.custom', {}, mine); // not in the default list
    expect(await forwarded()).toEqual([
      expect.objectContaining({ event_name: 'rxtel.http.request.stop', severity: 'INFO', event_data: { measurements: { duration_ms: 12, status: 200 }, metadata: { path: '/v1/models' } } }),
      expect.objectContaining({ event_name: 'rxtel.http.request.exception', severity: 'ERROR' }),
    ]);
  });

  it('takes wildcard names, and can be turned off', async () => {
    const wild = setup({ events: ['app.*'] });
    telemetry.emit('app.cache.miss', { n: 1 }, { session_id: wild.reporter.sessionId });
    telemetry.emit('rxtel.http.request.stop', {}, { session_id: wild.reporter.sessionId });
    expect((await wild.forwarded()).map((e) => (e as { event_name: string }).event_name)).toEqual(['app.cache.miss']);

    const off = setup({ attachEvents: false });
    telemetry.emit('rxtel.http.request.stop', {}, { session_id: off.reporter.sessionId });
    expect(await off.forwarded()).toEqual([]);
  });

  it('stops listening on stop()', async () => {
    const { reporter, forwarded } = setup();
    const events = await forwarded();
    telemetry.emit('rxtel.http.request.stop', {}, { session_id: reporter.sessionId });
    expect(events).toEqual([]);
    expect(reporter.stats().dropped.stopped).toBe(0);
  });
});
