import { describe, expect, it } from '@jest/globals';
import { captured, captureExceptions, type TelemetryProvider } from '../../src/capture/capture-exceptions.js';
import type { Reporter } from '../../src/reporter/types.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';

/** A virtual-time reporter, and what it exported after a flush (SESSION_START aside). */
function setup() {
  const virtual = virtualReporter();
  const { reporter, sink, settleAll } = virtual;
  const exported = async () => {
    await settleAll(reporter.flush());
    return sink.events.filter((e) => e.event !== 'SESSION_START');
  };
  return { ...virtual, exported };
}

describe('captureExceptions', () => {
  it('returns a sync value and a promise of an async one, reporting nothing', async () => {
    const { reporter, exported } = setup();
    expect(captureExceptions(reporter, () => 42)).toBe(42);
    await expect(captureExceptions(reporter, async () => 'ok')).resolves.toBe('ok');
    expect(await exported()).toEqual([]);
  });

  it.each([
    ['an Error', new TypeError('bad')],
    ['a string', 'just a string'],
    ['null', null],
    ['an object', { code: 7 }],
  ])('reports %s thrown synchronously and re-throws the very same value', async (_label, thrown) => {
    const { reporter, exported } = setup();
    let caught: unknown = 'nothing';
    try {
      captureExceptions(reporter, () => {
        throw thrown;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(thrown);
    expect((await exported()).map((e) => e.event)).toEqual(['UNHANDLED_EXCEPTION']);
  });

  it('reports a rejection and rejects with the original value', async () => {
    const { reporter, exported } = setup();
    const error = new RangeError('async bad');
    await expect(captureExceptions(reporter, () => Promise.reject(error), { severity: 'WARNING' })).rejects.toBe(error);
    expect(await exported()).toEqual([expect.objectContaining({ event: 'UNHANDLED_EXCEPTION', severity: 'WARNING', error_type: 'RangeError' })]);
  });

  it('fatal: the async re-throw waits until the exception and SESSION_END were delivered', async () => {
    const { reporter, sink, settleAll } = setup();
    const error = new Error('fatal');
    const outcome = captureExceptions(reporter, async () => {
      throw error;
    }, { fatal: true }).catch((e: unknown) => ({ rejected: e, delivered: sink.events.map((ev) => ev.event) }));
    const result = (await settleAll(outcome)) as { rejected: unknown; delivered: string[] };
    expect(result.rejected).toBe(error);
    expect(result.delivered).toEqual(['SESSION_START', 'UNHANDLED_EXCEPTION', 'SESSION_END']);
  });

  it('works without a reporter', async () => {
    expect(captureExceptions(null, () => 1)).toBe(1);
    expect(() => captureExceptions(null, () => { throw new Error('x'); })).toThrow('x');
    await expect(captureExceptions(null, async () => { throw new Error('y'); })).rejects.toThrow('y');
  });
});

describe('@captured', () => {
  class Client implements TelemetryProvider {
    constructor(private readonly reporter: Reporter | null) {}
    getTelemetry(): Reporter | null {
      return this.reporter;
    }
    @captured()
    parse(text: string): unknown {
      return JSON.parse(text);
    }
    @captured({ severity: 'CRITICAL' })
    async load(id: string): Promise<string> {
      if (id === '') throw new Error('no id');
      return `model:${id}`;
    }
  }

  it('passes values through and reports failures through getTelemetry()', async () => {
    const { reporter, exported } = setup();
    const client = new Client(reporter);
    expect(client.parse('{"a":1}')).toEqual({ a: 1 });
    await expect(client.load('7')).resolves.toBe('model:7');
    expect(() => client.parse('{')).toThrow(SyntaxError);
    await expect(client.load('')).rejects.toThrow('no id');
    expect((await exported()).map((e) => [e.event, e.severity])).toEqual([
      ['UNHANDLED_EXCEPTION', 'ERROR'],
      ['UNHANDLED_EXCEPTION', 'CRITICAL'],
    ]);
  });

  it('runs the method alone when there is no reporter', () => {
    expect(() => new Client(null).parse('{')).toThrow(SyntaxError);
  });
});
