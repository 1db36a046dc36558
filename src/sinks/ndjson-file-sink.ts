import { access, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { z } from 'zod';
import { ExportError } from '../errors/export-error.js';
import type { TelemetryEvent } from '../events/wire.js';
import { integer, nonEmptyString, oneOf } from '../schema/fields.js';
import { parseOptionsWith } from '../schema/parse.js';
import type { Assert, Matches } from '../schema/same-type.js';
import { abortedBy, codeSuffix, shutDown, systemErrorCode, unexpected, unserialisable } from './results.js';
import type { ContentCapture, ExportContext, ExportResult, Sink } from './sink.js';
import { contentCapture, sinkName } from './sink-options.js';

/**
 * Options of {@link NdjsonFileSink}.
 *
 * @example
 * ```ts
 * const options: NdjsonFileSinkOptions = { path: './telemetry/events.ndjson', maxBytes: 1024 * 1024, maxFiles: 3 };
 * ```
 */
export interface NdjsonFileSinkOptions {
  /** The live file, such as `./telemetry/events.ndjson`. Missing parent directories are created. */
  readonly path: string;
  /** The live file is rotated before a write would take it past this size, bytes. @defaultValue 16 MiB */
  readonly maxBytes?: number;
  /** How many files to keep, the live one included (`events.ndjson`, `events.1.ndjson`, …). @defaultValue 5 */
  readonly maxFiles?: number;
  /** The sink's name in errors, stats and health events. @defaultValue 'file' */
  readonly name?: string;
  /** Whether raw `event_data.content` may be written to the file. @defaultValue 'redacted' */
  readonly contentCapture?: ContentCapture;
  /** `'stop'` fsyncs at `shutdown()` (and when a file is rotated away); `'batch'` also after every batch. @defaultValue 'stop' */
  readonly fsync?: 'stop' | 'batch';
}

/**
 * The schema of {@link NdjsonFileSinkOptions}, which the constructor parses: a bad or unknown
 * option is a `ConfigError` naming `NdjsonFileSink`, the option and the value.
 */
export const NdjsonFileSinkOptions = z.strictObject({
  path: nonEmptyString(),
  maxBytes: integer(1).default(16 * 1024 * 1024),
  maxFiles: integer(1).default(5),
  name: sinkName('file'),
  contentCapture: contentCapture(),
  fsync: oneOf(['stop', 'batch']).default('stop'),
});

/** Compile-time: the documented interface and the schema take the same options (`tsc` fails when they drift). */
export type NdjsonFileSinkOptionsMatchSchema = Assert<Matches<NdjsonFileSinkOptions, typeof NdjsonFileSinkOptions>>;

// A full disk, a busy file, too many open files: worth another try later. Anything else will not heal.
const RETRYABLE_CODES = new Set(['ENOSPC', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE']);
const NEWLINE = 0x0a;

/**
 * Appends every event as one JSON line (the wire event plus its `session_id`) to a local file, with
 * size-based rotation: before a write would take `events.ndjson` past `maxBytes`, it becomes
 * `events.1.ndjson` (`.1` becomes `.2`, …) and the oldest beyond `maxFiles` is deleted. A batch is
 * one write and is never split across files, so one larger than `maxBytes` still lands whole.
 *
 * Writes happen one at a time, in call order, even when exports overlap. The sink picks up the
 * existing file's size after a restart and keeps appending. `export` never throws or rejects: a full
 * disk or a busy file (`ENOSPC`, `EAGAIN`, `EBUSY`, `EMFILE`, `ENFILE`) is retryable, every other
 * system error a failure, and an error names the system code and the path, never the file's content.
 * An export aborted while it waits for its turn resolves at once and writes nothing; one already
 * writing finishes its (local, short) write and reports what happened.
 *
 * @example
 * ```ts
 * const sink = new NdjsonFileSink({ path: './telemetry/events.ndjson', maxBytes: 8 * 1024 * 1024, maxFiles: 3 });
 * const reporter = createReporter({ sinks: [sink] });
 * reporter.log('user.action', { button: 'submit' });
 * await reporter.stop(); // shuts the sink down: pending writes land, the file is fsynced and closed
 * ```
 */
export class NdjsonFileSink implements Sink {
  readonly name: string;
  readonly contentCapture: ContentCapture;
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #maxFiles: number;
  readonly #fsyncEachBatch: boolean;
  #handle: FileHandle | undefined;
  #size = 0;
  /** The file ends in a torn line (a crash, a failed write): start the next write on a new line. */
  #torn = false;
  /** Settles when every write queued so far has; never rejects. */
  #queue: Promise<unknown> = Promise.resolve();
  #shutdown: Promise<void> | undefined;

  constructor(options: NdjsonFileSinkOptions) {
    const parsed = parseOptionsWith(NdjsonFileSinkOptions, options, { owner: 'NdjsonFileSink' });
    this.#path = parsed.path;
    this.#maxBytes = parsed.maxBytes;
    this.#maxFiles = parsed.maxFiles;
    this.name = parsed.name;
    this.contentCapture = parsed.contentCapture;
    this.#fsyncEachBatch = parsed.fsync === 'batch';
  }

  /** Appends one batch; resolves to an {@link ExportResult}, never rejects. */
  export(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult> {
    if (this.#shutdown !== undefined) return Promise.resolve(shutDown(this.name));
    if (signal.aborted) return Promise.resolve(abortedBeforeWriting(this.name, signal));
    let bytes: Buffer;
    try {
      // Serialised now: the batch as it is at the call, whatever happens to the objects meanwhile.
      bytes = Buffer.from(batch.map((event) => `${JSON.stringify({ session_id: context.sessionId, ...event })}\n`).join(''), 'utf8');
    } catch {
      return Promise.resolve(unserialisable(this.name));
    }
    return new Promise<ExportResult>((resolve) => {
      let writing = false;
      const onAbort = (): void => {
        if (!writing) resolve(abortedBeforeWriting(this.name, signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const turn = this.#queue.then(async () => {
        if (signal.aborted) return abortedBeforeWriting(this.name, signal);
        writing = true;
        return this.#append(bytes);
      });
      const settle = (result: ExportResult): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      // `#append` does not reject; should a bug of ours make it, the batch is kept for a retry.
      this.#queue = turn.then(settle, () => settle(unexpected(this.name)));
    });
  }

  /** Waits for pending writes, fsyncs and closes the file. Idempotent: every call returns the same promise. */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#queue.then(() => this.#close(true));
    return this.#shutdown;
  }

  async #append(bytes: Buffer): Promise<ExportResult> {
    let step = 'open';
    try {
      let handle = this.#handle ?? (await this.#open());
      if (this.#size > 0 && this.#size + bytes.length > this.#maxBytes) {
        step = 'rotate';
        await this.#rotate();
        step = 'open';
        handle = await this.#open();
      }
      step = 'write';
      await this.#write(handle, this.#torn ? Buffer.concat([Buffer.of(NEWLINE), bytes]) : bytes);
      step = 'fsync';
      if (this.#fsyncEachBatch) await handle.sync();
      return { status: 'success' };
    } catch (error) {
      // Forget the handle: the next export reopens the file and reads its real size.
      await this.#close(false);
      return ioError(this.name, step, this.#path, error);
    }
  }

  async #open(): Promise<FileHandle> {
    await mkdir(dirname(this.#path), { recursive: true });
    // Set at once, so that `#close` releases it should what follows fail.
    const handle = (this.#handle = await open(this.#path, 'a+'));
    this.#size = (await handle.stat()).size;
    // The last run may have died mid-line: the next batch then starts on a line of its own.
    const last = Buffer.of(NEWLINE);
    if (this.#size > 0) await handle.read(last, 0, 1, this.#size - 1);
    this.#torn = last[0] !== NEWLINE;
    return handle;
  }

  async #write(handle: FileHandle, bytes: Buffer): Promise<void> {
    const before = this.#size;
    let offset = 0;
    try {
      while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
    } catch (error) {
      // Take back a partial write, so that the next batch does not continue a torn line.
      if (offset > 0) await handle.truncate(before).catch(() => undefined);
      throw error;
    }
    this.#size = before + bytes.length;
    this.#torn = false;
  }

  /** `events.ndjson` → `events.1.ndjson`, `.1` → `.2`, …; the oldest beyond `maxFiles` is deleted. */
  async #rotate(): Promise<void> {
    // The rotated file is never written again: this is its last chance to reach the disk.
    await this.#close(true);
    const kept = this.#maxFiles - 1;
    // Only the files that exist (`.1` to `.last`) move: a large `maxFiles` costs nothing until it fills.
    let last = 0;
    while (last < kept && (await ifPresent(access(this.#rotated(last + 1))))) last++;
    if (last === kept) {
      // `.kept` and any older ones (left by an earlier, larger `maxFiles`) go.
      for (let index = Math.max(kept, 1); await ifPresent(unlink(this.#rotated(index))); index++);
      last = kept - 1;
    }
    for (let index = last; index >= 1; index--) await rename(this.#rotated(index), this.#rotated(index + 1));
    await (kept === 0 ? ifPresent(unlink(this.#path)) : rename(this.#path, this.#rotated(1)));
  }

  #rotated(index: number): string {
    const { dir, name, ext } = parse(this.#path);
    return join(dir, `${name}.${index}${ext}`);
  }

  /** Closes the live file, if open. Errors are ignored: the batches were already reported on, nobody can act on them. */
  async #close(sync: boolean): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (sync) await handle?.sync().catch(() => undefined);
    await handle?.close().catch(() => undefined);
  }
}

function ioError(sink: string, step: string, path: string, error: unknown): ExportResult {
  // Only the step, the path and the code: a system error's own text could quote more than we want.
  const exportError = new ExportError(`${sink}: cannot ${step} ${path}${codeSuffix(error)}`, { sink, code: 'ERR_RXTEL_EXPORT' });
  const systemCode = systemErrorCode(error);
  return systemCode !== undefined && RETRYABLE_CODES.has(systemCode)
    ? { status: 'retryable', error: exportError }
    : { status: 'failure', error: exportError };
}

function abortedBeforeWriting(sink: string, signal: AbortSignal): ExportResult {
  // The reporter's attempt timeout is retryable: nothing was written, so trying again is safe.
  return abortedBy(signal, sink, { timedOut: 'timed out before writing', aborted: 'export aborted before writing' });
}

/** Awaits a file operation; false when the file was not there (no error here). */
function ifPresent(operation: Promise<void>): Promise<boolean> {
  return operation.then(
    () => true,
    (error: unknown) => (systemErrorCode(error) === 'ENOENT' ? false : Promise.reject(error)),
  );
}

