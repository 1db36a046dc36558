import { describe, expect, it } from '@jest/globals';
import { parseOptions } from '../../src/config/parse-options.js';
import { ScriptedSink, failure, retryable } from '../helpers/scripted-sink.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';

const debugLines = (warnings: readonly string[]) => warnings.filter((w) => w.startsWith('debug: '));

describe('the debug switch', () => {
  it('tells each refusal with its reason: rate-limited, sampled, invalid, filtered, queue full, stopped', async () => {
    const { reporter, warnings, settleAll } = virtualReporter({
      options: {
        debug: true,
        flushIntervalMs: 0,
        flushThreshold: 1000,
        maxQueueSize: 8,
        terminalReserve: 1,
        rateLimits: { burst: 1 },
        sampleRates: { rare: 0 },
        beforeSend: (event) => (event.event === 'GENERIC_EVENT' && event.event_name === 'private' ? null : event),
      },
    });
    reporter.log('burst');
    expect(reporter.log('burst')).toBe(false);
    expect(reporter.log('rare')).toBe(false);
    expect(reporter.log('')).toBe(false);
    expect(reporter.log('private')).toBe(false);
    for (let i = 0; i < 8; i++) reporter.log(`fill.${i}`);
    await settleAll(reporter.stop());
    expect(reporter.log('late')).toBe(false);
    expect(debugLines(warnings)).toEqual(
      expect.arrayContaining([
        'debug: refused GENERIC_EVENT `burst`: rateLimited (over the per-type rate limit)',
        'debug: refused GENERIC_EVENT `rare`: sampled (sampled out)',
        'debug: refused a GENERIC_EVENT without a valid name: invalid (not a valid event (no name, a refused track() event, or beforeSend threw))',
        'debug: refused GENERIC_EVENT `private`: filtered (beforeSend returned null)',
        expect.stringMatching(/^debug: refused GENERIC_EVENT `fill\.\d`: queueFull \(the queue was full\)$/),
        'debug: refused GENERIC_EVENT `late`: stopped (logged after stop())',
      ]),
    );
  });

  it('tells each batch\'s fate per sink: delivered, retried, partially delivered, failed', async () => {
    const { reporter, warnings, settleAll } = virtualReporter({
      options: { debug: true, flushIntervalMs: 0, maxRetries: 1, retryBaseDelayMs: 100, random: () => 0 },
      sinks: (scheduler) => [
        new ScriptedSink(scheduler, [retryable()], undefined, { name: 'flaky' }),
        new ScriptedSink(scheduler, [{ status: 'success', refusedPositions: [0], error: new Error('backend: 1 of 2 refused') }], undefined, { name: 'picky' }),
        new ScriptedSink(scheduler, [failure(), failure()], undefined, { name: 'broken' }),
      ],
    });
    reporter.log('a');
    await settleAll(reporter.flush());
    const lines = debugLines(warnings);
    expect(lines).toEqual(
      expect.arrayContaining([
        'debug: sink flaky: batch of 2: attempt 1 failed (scripted: 503), retrying in 100 ms',
        'debug: sink flaky: batch of 2 delivered after 2 attempt(s) (2 delivered)',
        'debug: sink picky: batch of 2 partially delivered after 1 attempt(s) (1 delivered, 1 refused by the backend): backend: 1 of 2 refused',
        'debug: sink broken: batch of 2 failed after 1 attempt(s) (0 delivered, 2 refused by the backend): scripted: 400',
      ]),
    );
    await settleAll(reporter.stop());
  });

  it('is off by default: refusals and batches make no debug line', async () => {
    const { reporter, warnings, settleAll } = virtualReporter({ options: { flushIntervalMs: 0, rateLimits: { x: 1 } } });
    reporter.log('x');
    reporter.log('x');
    await settleAll(reporter.stop());
    expect(debugLines(warnings)).toEqual([]);
  });

  it('is rate-limited itself: a refusal storm costs at most 20 lines and one summary a second', async () => {
    const { reporter, warnings, runUntil, settleAll } = virtualReporter({ options: { debug: true, flushIntervalMs: 0, sampleRate: 0 } });
    for (let i = 0; i < 5000; i++) reporter.log('noise');
    runUntil(1000);
    const lines = debugLines(warnings);
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('debug: … 4980 more debug line(s) suppressed (at most 20 a second)');
    expect(reporter.stats().dropped.sampled).toBe(5000);
    await settleAll(reporter.stop());
  });
});

describe('RXTEL_DEBUG', () => {
  const base = { sinks: [new ScriptedSink(undefined as never)] };
  const env = (value?: string) => (name: string) => (name === 'RXTEL_DEBUG' ? value : undefined);

  it.each([
    [undefined, undefined, false, false],
    [undefined, '1', true, false],
    [undefined, ' on ', true, false],
    [undefined, '0', false, false],
    [undefined, 'loud', false, true],
    [false, '1', false, false],
    [true, '0', true, false],
  ])('debug=%p, RXTEL_DEBUG=%p → %p (warns: %p)', (debug, value, expected, warns) => {
    const warnings: string[] = [];
    const options = { ...base, logger: { warn: (m: string) => warnings.push(m) }, ...(debug === undefined ? {} : { debug }) };
    expect(parseOptions(options, env(value)).debug).toBe(expected);
    expect(warnings.length > 0).toBe(warns);
  });
});
