/**
 * rxtel: a telemetry reporter for Node.js built on RxJS. This file is the whole public surface.
 * @packageDocumentation
 */
export { createReporter } from './create-reporter.js';
export type { Reporter, BusEvent, AttachOptions, CorrelationIds } from './reporter/types.js';
export type { Span, SpanOptions, SpanEnd } from './reporter/span.js';
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
} from './events/llm-events.js';
export type { ReporterOptions, Logger } from './config/options.js';
export type { ReporterStats, DropCounts, SinkStats, SinkState } from './batcher/counters.js';
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
export type { Sink, ExportResult, ExportContext } from './sinks/sink.js';
export { TinkerHttpSink, type TinkerHttpSinkOptions } from './sinks/tinker-http-sink.js';
export { InMemorySink } from './sinks/in-memory-sink.js';
export { telemetry, TelemetryBus, DEFAULT_BUS_EVENTS } from './bus/telemetry.js';
export { DEFAULT_REDACT_KEYS } from './pipeline/operators/redact.js';
export { captureExceptions, captured, type CaptureOptions, type TelemetryProvider } from './capture/capture-exceptions.js';
export { instrumentFetch, instrumentKy, type InstrumentOptions } from './capture/instrument-http.js';
export { installProcessHandlers, type ProcessHandlerOptions } from './capture/process-handlers.js';
export { startReceiver, type Receiver, type ReceiverOptions, type StoredEvent, type Fault } from './receiver/receiver.js';
export { RxtelError } from './errors/rxtel-error.js';
export { ConfigError } from './errors/config-error.js';
export { ExportError } from './errors/export-error.js';
export { isRxtelError } from './errors/guards.js';
export { VERSION } from './version.js';
