/**
 * What the console's server calls to turn a parsed request body into console events, one function
 * per protocol, each returning the events per session and what it refused, never throwing
 * (docs/console.md, "What each protocol becomes"); an OTLP body in binary protobuf is first decoded
 * into its JSON shape ({@link decodeOtlpLogsProtobuf}, {@link decodeOtlpTracesProtobuf}):
 *
 * | route | function |
 * | --- | --- |
 * | `POST /api/v1/telemetry` (after `validateBatch`) | {@link normaliseTinker} |
 * | `POST /v1/logs` | {@link normaliseOtlpLogs} |
 * | `POST /v1/traces`, `POST /api/public/otel/v1/traces` | {@link normaliseOtlpTraces} |
 * | `POST /api/public/ingestion` | {@link normaliseLangfuseIngestion} |
 */
export { normaliseTinker, tinkerClient, type TinkerOptions } from './tinker.js';
export { normaliseOtlpLogs } from './otlp-logs.js';
export { normaliseOtlpTraces } from './otlp-traces.js';
export { decodeOtlpLogsProtobuf, decodeOtlpTracesProtobuf, type ProtobufDecoded } from './otlp-protobuf.js';
export { normaliseLangfuseIngestion, NO_TRACE_SESSION, type LangfuseOptions, type LangfuseNormalised, type LangfuseItemResults } from './langfuse.js';
export { parseExceptionChain, type OuterException } from './exception-chain.js';
export { MAX_STRING_BYTES, MAX_DEPTH } from './limits.js';
export type { IngestGroup, IngestResult } from './result.js';

