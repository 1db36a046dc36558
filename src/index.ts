/**
 * rxtel: a telemetry reporter for Node.js built on RxJS. This file is the whole public surface.
 * @packageDocumentation
 */
export { createReporter } from './create-reporter.js';
export type { Reporter, BusEvent, AttachOptions, CorrelationIds, FlushResult } from './reporter/types.js';
export type { WrapHandlerOptions } from './reporter/types.js';
export { wrapHandler, DEFAULT_FLUSH_BUDGET_MS } from './reporter/wrap-handler.js';
export type { ReporterHealth } from './stats/observe.js';
export type { EventView } from './reporter/replay.js';
export type { BeforeSend } from './events/wire.js';
export type { OverflowPolicy } from './pipeline/operators/admit.js';
export type { SinkHealthChange } from './sender/sink-health.js';
export type { Span, SpanOptions, SpanEnd, SpanKind } from './reporter/span.js';
export { activeContext, type ContextSnapshot } from './reporter/context.js';
export { traceRequests, type TraceRequestsOptions } from './capture/trace-requests.js';
export { parseTraceparent, formatTraceparent, parseTracestate, type TraceParent } from './capture/trace-context.js';
export {
  LlmEvent,
  LLM_EVENT_NAMES,
  TokenUsage,
  ChatSessionStarted,
  ChatSessionCompleted,
  RoundStarted,
  RoundCompleted,
  ToolCalled,
  MessageCountUpdated,
  ForwardRequestStarted,
  ForwardRequestCompleted,
  Generation,
  ToolExecution,
  Orchestrator,
  type EventTimeInput,
} from './events/llm-events.js';
export type { ReporterOptions, Logger } from './config/options.js';
export type { ReporterStats, DropCounts, SinkStats, SinkState } from './stats/counters.js';
export type { SeverityInput } from './events/severity.js';
export {
  TelemetryBatch,
  TelemetryEvent,
  type EventKind,
  type Severity,
  type GenericEvent,
  type SessionStartEvent,
  type SessionEndEvent,
  type UnhandledExceptionEvent,
} from './events/wire.js';
export type { Sink, ExportResult, ExportContext, ContentCapture } from './sinks/sink.js';
export type { Compression } from './sinks/http/json-poster.js';
export { TinkerHttpSink, type TinkerHttpSinkOptions } from './sinks/tinker-http-sink.js';
export { OtlpHttpSink, type OtlpHttpSinkOptions, type OtlpResourceValue } from './sinks/otlp-http-sink.js';
export { LangfuseSink, type LangfuseSinkOptions } from './sinks/langfuse-sink.js';
export { LangfuseOtlpSink, type LangfuseOtlpSinkOptions } from './sinks/langfuse-otlp-sink.js';
export { heliconeHeaders, heliconeKyHooks, type HeliconeOptions, type HeliconeKyHooks } from './sinks/helicone.js';
export { NdjsonFileSink, type NdjsonFileSinkOptions } from './sinks/ndjson-file-sink.js';
export { ConsoleSink, formatConsoleLine, type ConsoleSinkOptions } from './sinks/console-sink.js';
export { InMemorySink, type InMemorySinkOptions } from './sinks/in-memory-sink.js';
export { redactContent, type RedactedContent } from './events/content.js';
export { telemetry, TelemetryBus, DEFAULT_BUS_EVENTS } from './bus/telemetry.js';
export { DEFAULT_REDACT_KEYS } from './config/options.js';
export { captureExceptions, captured, type CaptureOptions, type TelemetryProvider } from './capture/capture-exceptions.js';
export { instrumentFetch, instrumentKy, type InstrumentOptions } from './capture/instrument-http.js';
export { installProcessHandlers, type ProcessHandlerOptions } from './capture/process-handlers.js';
export { startReceiver, type Receiver, type ReceiverOptions, type StoredEvent, type Fault } from './receiver/receiver.js';
export { RxtelError } from './errors/rxtel-error.js';
export { ConfigError } from './errors/config-error.js';
export { ExportError, EXPORT_ERROR_CODES, type ExportErrorCode } from './errors/export-error.js';
export { isRxtelError } from './errors/guards.js';
export { VERSION } from './version.js';
