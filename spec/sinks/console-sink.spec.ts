import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { ConfigError } from '../../src/errors/config-error.js';
import { ExportError } from '../../src/errors/export-error.js';
import type { TelemetryEvent } from '../../src/events/wire.js';
import { ConsoleSink, formatConsoleLine, type ConsoleSinkOptions } from '../../src/sinks/console-sink.js';
import type { ExportContext, ExportResult } from '../../src/sinks/sink.js';

const context: ExportContext = { batchId: 'batch-1', attempt: 0, sessionId: '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10' };
const live = (): AbortSignal => new AbortController().signal;

const start: TelemetryEvent = { event: 'SESSION_START', event_id: 'e0', event_session_index: 0, severity: 'INFO', timestamp: '2026-01-01T00:00:00.000001Z' };
const generic: TelemetryEvent = {
  event: 'GENERIC_EVENT', event_id: 'e1', event_session_index: 1, severity: 'DEBUG', timestamp: '2026-01-01T00:00:01.000000Z',
  event_name: 'user.action', event_data: { button: 'submit', n: 2, nested: { ok: true, none: null } },
};
const empty: TelemetryEvent = { ...generic, event_id: 'e2', severity: 'WARNING', event_name: 'cache.miss', event_data: {} };
const exception: TelemetryEvent = {
  event: 'UNHANDLED_EXCEPTION', event_id: 'e3', event_session_index: 3, severity: 'CRITICAL', timestamp: '2026-01-01T00:00:02.000000Z',
  error_type: 'TypeError', error_message: 'x is not a function', traceback: 'TypeError: x is not a function\n    at f (a.js:1:1)',
};
const end: TelemetryEvent = { event: 'SESSION_END', event_id: 'e4', event_session_index: 4, severity: 'ERROR', timestamp: '2026-01-01T00:00:03.000000Z', duration: '0:00:03.000000' };

const PLAIN = [
  '2026-01-01T00:00:00.000001Z INFO     SESSION_START',
  '2026-01-01T00:00:01.000000Z DEBUG    user.action {"button":"submit","n":2,"nested":{"ok":true,"none":null}}',
  '2026-01-01T00:00:01.000000Z WARNING  cache.miss',
  '2026-01-01T00:00:02.000000Z CRITICAL UNHANDLED_EXCEPTION TypeError: x is not a function',
  '2026-01-01T00:00:03.000000Z ERROR    SESSION_END 0:00:03.000000',
];

/** A Writable that keeps what it receives. */
function capture(extra: { isTTY?: boolean } = {}): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  if (extra.isTTY !== undefined) Object.assign(stream, { isTTY: extra.isTTY });
  return { stream, text: () => chunks.join('') };
}

/** A Writable of highWaterMark 1 whose write callbacks the test releases by hand: every write fills it. */
function heldStream(): { stream: Writable; chunks: string[]; pending: ((error?: Error | null) => void)[]; nextWrite: () => Promise<void> } {
  const chunks: string[] = [];
  const pending: ((error?: Error | null) => void)[] = [];
  let onWrite: (() => void) | undefined;
  const stream = new Writable({
    highWaterMark: 1,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      chunks.push(chunk);
      pending.push(callback);
      onWrite?.();
    },
  });
  const nextWrite = (): Promise<void> => new Promise((resolve) => (onWrite = resolve));
  return { stream, chunks, pending, nextWrite };
}

function track(promise: Promise<ExportResult>): { settled: () => boolean } {
  let settled = false;
  void promise.then(() => (settled = true));
  return { settled: () => settled };
}

/** Lets every pending callback, microtask and immediate of this turn run: no timer, no guess. */
const turnOfTheLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function errorOf(result: ExportResult): ExportError {
  if (result.status === 'success') throw new Error('expected an error result');
  expect(result.error).toBeInstanceOf(ExportError);
  return result.error as ExportError;
}

describe('ConsoleSink', () => {
  it('prints one line per event in the exact format of each kind', async () => {
    const { stream, text } = capture();
    const sink = new ConsoleSink({ stream, pretty: false });
    expect(await sink.export([start, generic, empty, exception, end], live(), context)).toEqual({ status: 'success' });
    expect(text()).toBe(`${PLAIN.join('\n')}\n`);
    expect(sink.name).toBe('console');
    expect(sink.contentCapture).toBe('redacted');
    await sink.shutdown();
  });

  it('colours the severity and dims the timestamp when pretty', async () => {
    const { stream, text } = capture();
    const sink = new ConsoleSink({ stream, pretty: true });
    await sink.export([start, generic, empty, exception, end], live(), context);
    const dim = (ts: string) => `\x1b[2m${ts}\x1b[0m`;
    expect(text().split('\n')).toEqual([
      `${dim('2026-01-01T00:00:00.000001Z')} \x1b[32mINFO\x1b[0m     SESSION_START`,
      `${dim('2026-01-01T00:00:01.000000Z')} \x1b[90mDEBUG\x1b[0m    user.action {"button":"submit","n":2,"nested":{"ok":true,"none":null}}`,
      `${dim('2026-01-01T00:00:01.000000Z')} \x1b[33mWARNING\x1b[0m  cache.miss`,
      `${dim('2026-01-01T00:00:02.000000Z')} \x1b[1;31mCRITICAL\x1b[0m UNHANDLED_EXCEPTION TypeError: x is not a function`,
      `${dim('2026-01-01T00:00:03.000000Z')} \x1b[31mERROR\x1b[0m    SESSION_END 0:00:03.000000`,
      '',
    ]);
    // Without the escapes, the same text as plain.
    // eslint-disable-next-line no-control-regex -- strips the ANSI colour escapes
    expect(text().replace(/\x1b\[[0-9;]*m/g, '')).toBe(`${PLAIN.join('\n')}\n`);
  });

  it.each([
    ['a TTY, NO_COLOR unset', true, {}, true],
    ['a TTY, NO_COLOR=1', true, { NO_COLOR: '1' }, false],
    ['a TTY, NO_COLOR empty', true, { NO_COLOR: '' }, true],
    ['not a TTY', false, {}, false],
  ] as const)('defaults pretty from the stream and the env: %s', (_, isTTY, env, pretty) => {
    const sink = new ConsoleSink({ stream: capture({ isTTY }).stream }, env);
    expect(sink.pretty).toBe(pretty);
  });

  it('reads the env through a lookup function too, and an explicit pretty wins', () => {
    const { stream } = capture({ isTTY: true });
    const asked: string[] = [];
    const env = (name: string) => (asked.push(name), name === 'NO_COLOR' ? 'yes' : undefined);
    expect(new ConsoleSink({ stream }, env).pretty).toBe(false);
    expect(asked).toEqual(['NO_COLOR']);
    expect(new ConsoleSink({ stream, pretty: true }, { NO_COLOR: '1' }).pretty).toBe(true);
  });

  it('escapes control characters: one event stays one line and cannot drive the terminal', () => {
    const line = formatConsoleLine({ ...exception, error_type: 'Evil\x1b[2J', error_message: 'two\nlines\r\tand\u009b' });
    expect(line).toBe('2026-01-01T00:00:02.000000Z CRITICAL UNHANDLED_EXCEPTION Evil\\u001b[2J: two\\nlines\\r\\tand\\u009b');
    const data = formatConsoleLine({ ...generic, event_name: 'a\nb', event_data: { text: 'x\ny\x1b' } });
    expect(data).toBe('2026-01-01T00:00:01.000000Z DEBUG    a\\nb {"text":"x\\ny\\u001b"}');
  });

  it('waits for drain when write() returns false, then succeeds', async () => {
    const { stream, chunks, pending, nextWrite } = heldStream();
    const sink = new ConsoleSink({ stream, pretty: false });
    const written = nextWrite();
    const result = sink.export([start], live(), context);
    const tracked = track(result);
    await written;
    await turnOfTheLoop();
    expect(chunks).toEqual([`${PLAIN[0]}\n`]);
    expect(tracked.settled()).toBe(false);

    pending.shift()?.();
    expect(await result).toEqual({ status: 'success' });
  });

  it('writes batches one at a time: the next waits until the stream has drained', async () => {
    const { stream, chunks, pending, nextWrite } = heldStream();
    const sink = new ConsoleSink({ stream, pretty: false });
    const firstWritten = nextWrite();
    const first = sink.export([start], live(), context);
    const second = sink.export([end], live(), context);
    await firstWritten;
    await turnOfTheLoop();
    expect(chunks).toHaveLength(1);

    const secondWritten = nextWrite();
    pending.shift()?.();
    expect(await first).toEqual({ status: 'success' });
    await secondWritten;
    expect(chunks).toEqual([`${PLAIN[0]}\n`, `${PLAIN[4]}\n`]);
    pending.shift()?.();
    expect(await second).toEqual({ status: 'success' });
  });

  it('fails with ERR_RXTEL_ABORTED when the signal aborts while waiting for drain, and a queued batch at once', async () => {
    const { stream, chunks, nextWrite } = heldStream();
    const sink = new ConsoleSink({ stream, pretty: false });
    const controller = new AbortController();
    const written = nextWrite();
    const first = sink.export([start], controller.signal, context);
    const queued = new AbortController();
    const second = sink.export([end], queued.signal, context);
    await written;
    queued.abort();
    const secondResult = await second;
    expect(secondResult.status).toBe('failure');
    expect(errorOf(secondResult).code).toBe('ERR_RXTEL_ABORTED');
    controller.abort();
    const result = await first;
    expect(result.status).toBe('failure');
    expect(errorOf(result).code).toBe('ERR_RXTEL_ABORTED');
    await turnOfTheLoop();
    expect(chunks).toHaveLength(1);
  });

  it('turns a stream error while waiting into a retryable result, without crashing', async () => {
    const { stream, pending, nextWrite } = heldStream();
    const sink = new ConsoleSink({ stream, pretty: false });
    const written = nextWrite();
    const result = sink.export([start], live(), context);
    await written;
    pending.shift()?.(Object.assign(new Error('broken pipe'), { code: 'EPIPE' }));
    const settled = await result;
    expect(settled.status).toBe('retryable');
    expect(errorOf(settled).message).toBe('console: stream error (EPIPE)');
    // The stream is destroyed now: later exports are retryable too, and nothing throws.
    const after = await sink.export([end], live(), context);
    expect(after.status).toBe('retryable');
    expect(errorOf(after).message).toBe('console: stream is closed');
    await sink.shutdown();
  });

  it('does not write after an already-aborted signal', async () => {
    const { stream, text } = capture();
    const sink = new ConsoleSink({ stream });
    const controller = new AbortController();
    controller.abort();
    const result = await sink.export([start], controller.signal, context);
    expect(errorOf(result).code).toBe('ERR_RXTEL_ABORTED');
    expect(text()).toBe('');
  });

  it('shuts down idempotently, stops listening to the stream, never ends it, and fails later exports', async () => {
    const { stream, text } = capture();
    const before = stream.listenerCount('error');
    const sink = new ConsoleSink({ stream, pretty: false });
    expect(stream.listenerCount('error')).toBe(before + 1);
    const first = sink.shutdown();
    expect(sink.shutdown()).toBe(first);
    await first;
    expect(stream.listenerCount('error')).toBe(before);
    expect(stream.writableEnded).toBe(false);
    const result = await sink.export([start], live(), context);
    expect(result.status).toBe('failure');
    expect(errorOf(result).code).toBe('ERR_RXTEL_SHUTDOWN');
    expect(text()).toBe('');
  });

  it.each([
    ['stream', { stream: {} }],
    ['pretty', { pretty: 'yes' }],
    ['name', { name: '' }],
    ['contentCapture', { contentCapture: 'everything' }],
  ])('throws a ConfigError naming `%s` for bad options', (option, options) => {
    let thrown: unknown;
    try {
      new ConsoleSink(options as unknown as ConsoleSinkOptions, {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ option });
    expect((thrown as Error).message).toContain(`\`${option}\``);
  });
});
