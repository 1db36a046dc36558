import { VERSION } from '../../version.js';

/** An OTLP `InstrumentationScope` (opentelemetry-proto v1.11.0 `common.proto`), JSON mapping. */
export interface OtlpScope {
  readonly name: string;
  readonly version: string;
}

/**
 * rxtel itself, as the instrumentation scope of every record and span it exports.
 *
 * @example
 * ```ts
 * const scopeLogs = [{ scope: RXTEL_SCOPE, logRecords }];
 * ```
 */
export const RXTEL_SCOPE: OtlpScope = { name: 'rxtel', version: VERSION };
