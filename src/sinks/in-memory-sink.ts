import type { TelemetryEvent } from '../events/wire.js';
import { shutDown } from './results.js';
import type { ContentCapture, ExportResult, Sink } from './sink.js';

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

  constructor(options: { name?: string; contentCapture?: ContentCapture } = {}) {
    this.name = options.name ?? 'memory';
    this.contentCapture = options.contentCapture ?? 'redacted';
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
