import { z } from 'zod';
import type { TelemetryEvent } from '../events/wire.js';
import { parseOptionsWith } from '../schema/parse.js';
import type { Assert, Matches } from '../schema/same-type.js';
import { shutDown } from './results.js';
import type { ContentCapture, ExportResult, Sink } from './sink.js';
import { contentCapture, sinkName } from './sink-options.js';

/**
 * Options of {@link InMemorySink}.
 *
 * @example
 * ```ts
 * const options: InMemorySinkOptions = { name: 'second', contentCapture: 'raw' };
 * ```
 */
export interface InMemorySinkOptions {
  /** The sink's name in errors, stats and health events. @defaultValue 'memory' */
  readonly name?: string;
  /** `'raw'` to see raw content (with the reporter's `captureContent`), as tests of content capture need. @defaultValue 'redacted' */
  readonly contentCapture?: ContentCapture;
}

/** The schema of {@link InMemorySinkOptions}, which the constructor parses (a `ConfigError` naming `InMemorySink`). */
export const InMemorySinkOptions = z.strictObject({
  name: sinkName('memory'),
  contentCapture: contentCapture(),
});

/** Compile-time: the documented interface and the schema take the same options (`tsc` fails when they drift). */
export type InMemorySinkOptionsMatchSchema = Assert<Matches<InMemorySinkOptions, typeof InMemorySinkOptions>>;

/**
 * Keeps every exported event in memory, for users' own tests.
 *
 * @example
 * ```ts
 * const sink = new InMemorySink();
 * const reporter = createReporter({ sinks: [sink] });
 * reporter.log('user.action');
 * await reporter.stop();
 * expect(sink.events.map((e) => e.event)).toEqual(['SESSION_START', 'GENERIC_EVENT', 'SESSION_END']);
 * ```
 */
export class InMemorySink implements Sink {
  readonly name: string;
  /** `'raw'` to see raw content (with the reporter's `captureContent`), as tests of content capture need. @defaultValue 'redacted' */
  readonly contentCapture: ContentCapture;
  /** Every exported event, in export order. */
  readonly events: TelemetryEvent[] = [];
  /** Every exported batch, as it was exported. */
  readonly batches: (readonly TelemetryEvent[])[] = [];
  private closed = false;

  constructor(options: InMemorySinkOptions = {}) {
    const parsed = parseOptionsWith(InMemorySinkOptions, options, { owner: 'InMemorySink' });
    this.name = parsed.name;
    this.contentCapture = parsed.contentCapture;
  }

  export(batch: readonly TelemetryEvent[]): Promise<ExportResult> {
    if (this.closed) return Promise.resolve(shutDown(this.name));
    this.batches.push(batch);
    this.events.push(...batch);
    return Promise.resolve({ status: 'success' });
  }

  /** Forget everything exported so far. */
  clear(): void {
    this.events.length = 0;
    this.batches.length = 0;
  }

  shutdown(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
