import { z } from 'zod';
import { ExportError } from '../errors/export-error.js';
import type { Severity, TelemetryEvent } from '../events/wire.js';
import { readEnv } from '../platform/node.js';
import { boolean } from '../schema/fields.js';
import { parseOptionsWith } from '../schema/parse.js';
import type { Assert, Matches } from '../schema/same-type.js';
import { aborted, codeSuffix, shutDown, unexpected } from './results.js';
import type { ContentCapture, ExportContext, ExportResult, Sink } from './sink.js';
import { contentCapture, sinkName } from './sink-options.js';

/**
 * Options of {@link ConsoleSink}.
 *
 * @example
 * ```ts
 * const options: ConsoleSinkOptions = { pretty: false, stream: process.stdout, name: 'stdout' };
 * ```
 */
export interface ConsoleSinkOptions {
  /** ANSI colours by severity and a dimmed timestamp. @defaultValue the stream is a TTY and `NO_COLOR` is not set */
  readonly pretty?: boolean;
  /** Where the lines go. @defaultValue process.stderr */
  readonly stream?: NodeJS.WritableStream;
  /** The sink's name in errors, stats and health events. @defaultValue 'console' */
  readonly name?: string;
  /** Whether raw `event_data.content` may be printed. @defaultValue 'redacted' */
  readonly contentCapture?: ContentCapture;
}

const isWritable = (value: unknown): value is NodeJS.WritableStream =>
  typeof value === 'object' && value !== null && typeof (value as { write?: unknown }).write === 'function' && typeof (value as { on?: unknown }).on === 'function';

/**
 * The schema of {@link ConsoleSinkOptions}, which the constructor parses: a bad or unknown option
 * is a `ConfigError` naming `ConsoleSink`, the option and the value.
 */
export const ConsoleSinkOptions = z.strictObject({
  // Its default depends on the stream and the environment: the constructor derives it.
  pretty: boolean().optional(),
  stream: z.custom<NodeJS.WritableStream>(isWritable, { error: 'expected a writable stream' }).default(() => process.stderr),
  name: sinkName('console'),
  contentCapture: contentCapture(),
});

/** Compile-time: the documented interface and the schema take the same options (`tsc` fails when they drift). */
export type ConsoleSinkOptionsMatchSchema = Assert<Matches<ConsoleSinkOptions, typeof ConsoleSinkOptions>>;

/** How {@link ConsoleSink} reads the environment: a lookup function or a record such as `process.env`. */
export type EnvSource = ((name: string) => string | undefined) | Readonly<Record<string, string | undefined>>;

// The width of the longest severity, CRITICAL.
const SEVERITY_WIDTH = 8;
const COLOURS: Readonly<Record<Severity, string>> = {
  DEBUG: '\x1b[90m',
  INFO: '\x1b[32m',
  WARNING: '\x1b[33m',
  ERROR: '\x1b[31m',
  CRITICAL: '\x1b[1;31m',
};
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
// C0 and C1 controls, ESC included: a message must not move the cursor or recolour the terminal.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Prints one line per event, for development and for processes whose logs are collected anyway:
 *
 * ```text
 * 2026-01-01T00:00:01.000000Z INFO     user.action {"button":"submit"}
 * 2026-01-01T00:00:02.000000Z ERROR    UNHANDLED_EXCEPTION TypeError: x is not a function
 * 2026-01-01T00:00:03.000000Z INFO     SESSION_END 0:00:03.000000
 * ```
 *
 * It honours backpressure: when the stream's buffer is full, `export` resolves once the stream has
 * drained (or the signal aborts: failure `ERR_RXTEL_ABORTED`). Batches are written one at a time, in
 * call order. It never throws: a stream error or a closed stream is a retryable result, and while the
 * sink is up it listens for the stream's `'error'` events, so a broken pipe cannot crash the process.
 * `shutdown()` never ends the stream. Control characters of messages are escaped: a line stays one
 * line and cannot drive the terminal.
 *
 * @example
 * ```ts
 * const sink = new ConsoleSink({ pretty: true });
 * const reporter = createReporter({ sinks: [sink] });
 * reporter.log('user.action', { button: 'submit' });
 * await reporter.stop();
 * ```
 */
export class ConsoleSink implements Sink {
  readonly name: string;
  readonly contentCapture: ContentCapture;
  /** Whether lines carry ANSI colours. */
  readonly pretty: boolean;
  readonly #stream: NodeJS.WritableStream;
  #queue: Promise<unknown> = Promise.resolve();
  #shutdown: Promise<void> | undefined;
  /** Wakes the batch waiting for `'drain'` when the stream fails instead. */
  #onStreamError: ((error: unknown) => void) | undefined;
  readonly #listener = (error: unknown): void => this.#onStreamError?.(error);

  /** `env` is read once, for `NO_COLOR`; tests pass their own. */
  constructor(options: ConsoleSinkOptions = {}, env: EnvSource = readEnv) {
    const { stream, name, contentCapture, pretty } = parseOptionsWith(ConsoleSinkOptions, options, { owner: 'ConsoleSink' });
    this.#stream = stream;
    this.name = name;
    this.contentCapture = contentCapture;
    const noColor = typeof env === 'function' ? env('NO_COLOR') : env['NO_COLOR'];
    const tty = (stream as { isTTY?: unknown }).isTTY === true;
    this.pretty = pretty ?? (tty && (noColor === undefined || noColor === ''));
    stream.on('error', this.#listener);
  }

  /** Writes one batch; resolves to an {@link ExportResult} once the stream took it, never rejects. */
  export(batch: readonly TelemetryEvent[], signal: AbortSignal, _context?: ExportContext): Promise<ExportResult> {
    if (this.#shutdown !== undefined) return Promise.resolve(shutDown(this.name));
    // Aborted is a failure even on the attempt timeout: a batch waiting for 'drain' is already in the
    // stream's buffer, a retry would print it twice.
    if (signal.aborted) return Promise.resolve(aborted(this.name));
    const text = batch.map((event) => `${formatConsoleLine(event, this.pretty)}\n`).join('');
    return new Promise<ExportResult>((resolve) => {
      // Aborted while an earlier batch waits for 'drain': give up at once, this batch is skipped.
      const onAbort = (): void => resolve(aborted(this.name));
      signal.addEventListener('abort', onAbort, { once: true });
      const turn = this.#queue.then(() => {
        signal.removeEventListener('abort', onAbort);
        return signal.aborted ? aborted(this.name) : this.#write(text, signal);
      });
      this.#queue = turn.then(resolve, () => resolve(unexpected(this.name)));
    });
  }

  /** Waits for pending writes and stops listening to the stream; never ends it. Idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#queue.then(() => {
      this.#stream.removeListener('error', this.#listener);
    });
    return this.#shutdown;
  }

  #write(text: string, signal: AbortSignal): Promise<ExportResult> {
    const stream = this.#stream as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
    if (stream.destroyed === true || stream.writableEnded === true) return Promise.resolve(streamFailed(this.name, 'stream is closed'));
    return new Promise<ExportResult>((resolve) => {
      const finish = (result: ExportResult): void => {
        this.#onStreamError = undefined;
        stream.removeListener('drain', onDrain);
        stream.removeListener('close', onClose);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onDrain = (): void => finish({ status: 'success' });
      const onClose = (): void => finish(streamFailed(this.name, 'stream closed before draining'));
      const onAbort = (): void => finish(aborted(this.name));
      this.#onStreamError = (error) => finish(streamFailed(this.name, 'stream error', error));
      let flushed: boolean;
      try {
        flushed = stream.write(text);
      } catch (error) {
        return finish(streamFailed(this.name, 'stream error', error));
      }
      if (flushed) return finish({ status: 'success' });
      stream.once('drain', onDrain);
      stream.once('close', onClose);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * One event as {@link ConsoleSink} prints it, without the newline:
 * `<timestamp> <SEVERITY padded> <event name or kind> <details>`.
 *
 * @example
 * ```ts
 * formatConsoleLine({ event: 'GENERIC_EVENT', event_name: 'user.action', event_data: { ok: true }, severity: 'INFO', … });
 * // '2026-01-01T00:00:01.000000Z INFO     user.action {"ok":true}'
 * ```
 */
export function formatConsoleLine(event: TelemetryEvent, pretty = false): string {
  const label = `${pretty ? `${COLOURS[event.severity]}${event.severity}${RESET}` : event.severity}${' '.repeat(Math.max(1, SEVERITY_WIDTH + 1 - event.severity.length))}`;
  const head = `${pretty ? `${DIM}${event.timestamp}${RESET}` : event.timestamp} ${label}`;
  switch (event.event) {
    case 'SESSION_START':
      return `${head}SESSION_START`;
    case 'SESSION_END':
      return `${head}SESSION_END ${oneLine(event.duration)}`;
    case 'UNHANDLED_EXCEPTION':
      return `${head}UNHANDLED_EXCEPTION ${oneLine(event.error_type)}: ${oneLine(event.error_message)}`;
    case 'GENERIC_EVENT': {
      const data = Object.keys(event.event_data).length === 0 ? '' : ` ${compactJson(event.event_data)}`;
      return `${head}${oneLine(event.event_name)}${data}`;
    }
  }
}

function compactJson(value: unknown): string {
  try {
    // JSON escapes control characters itself.
    return JSON.stringify(value) ?? '';
  } catch {
    return '[unserialisable]';
  }
}

function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function streamFailed(sink: string, what: string, error?: unknown): ExportResult {
  return { status: 'retryable', error: new ExportError(`${sink}: ${what}${codeSuffix(error)}`, { sink, code: 'ERR_RXTEL_EXPORT' }) };
}
