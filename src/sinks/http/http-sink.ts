import type { TelemetryEvent } from '../../events/wire.js';
import type { ExportContext, ExportResult, Sink } from '../sink.js';
import type { JsonPoster } from './json-poster.js';

/**
 * What every HTTP sink does the same way around its own protocol: `export` runs the sink's
 * {@link HttpSink.send} through its poster's guard (refused without a request once shut down; a
 * bug of ours becomes a retryable result, never a rejection), and `shutdown` closes the poster.
 * A subclass builds its poster and says how one batch is sent.
 *
 * @example
 * ```ts
 * class EchoSink extends HttpSink {
 *   readonly name = 'echo';
 *   protected readonly poster = new JsonPoster({ name: 'echo' });
 *   protected async send(batch: readonly TelemetryEvent[], signal: AbortSignal): Promise<ExportResult> {
 *     return (await this.poster.post('http://127.0.0.1:8080/echo', JSON.stringify(batch), signal)).result;
 *   }
 * }
 * ```
 */
export abstract class HttpSink implements Sink {
  abstract readonly name: string;
  /** The sink's transport. It keeps the headers (and so the secrets) in private fields: `util.inspect` and `JSON.stringify` show none. */
  protected abstract readonly poster: JsonPoster;

  /** Sends one batch; resolves to an {@link ExportResult}, never rejects. */
  export(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult> {
    return this.poster.guard(() => this.send(batch, signal, context));
  }

  /** Refuses further exports (they fail without a request). Idempotent: every call returns the same promise. */
  shutdown(): Promise<void> {
    return this.poster.shutdown();
  }

  /** The requests for one batch and their result. May throw: {@link HttpSink.export} turns that into a retryable result. */
  protected abstract send(batch: readonly TelemetryEvent[], signal: AbortSignal, context: ExportContext): Promise<ExportResult>;
}
