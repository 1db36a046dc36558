/**
 * The OpenTelemetry semantic-convention names rxtel's OTLP encoders write, in one place, each
 * checked against the conventions' registry itself (the YAML models, not a summary):
 *
 * - open-telemetry/semantic-conventions **v1.44.0** `model/`: `telemetry/registry.yaml`,
 *   `service/`, `process/`, `session/registry.yaml` and `events.yaml`, `exceptions/registry.yaml`
 *   and `logs.yaml`, `http/registry.yaml`, `error/registry.yaml`, `event/deprecated/` (`event.name`
 *   is deprecated: the LogRecord's `event_name` field carries it).
 * - the GenAI conventions: semantic-conventions **v1.41.0** `model/gen-ai/registry.yaml` and
 *   `spans.yaml`, the last release of that repository that holds them (v1.42.0 moved them to
 *   open-telemetry/semantic-conventions-genai, still unreleased; every name below is unchanged
 *   there). Their stability is "development".
 *
 * A name outside the conventions is rxtel's own and lives under `rxtel.` (the conventions' naming
 * guide: never a custom name inside one of their namespaces).
 */

/** The semantic-conventions release the non-GenAI names were checked against. */
export const SEMCONV_VERSION = '1.44.0';
/** The release the GenAI names were checked against (see the module comment). */
export const GENAI_SEMCONV_VERSION = '1.41.0';

/** Resource attributes (`telemetry.sdk.*` are required for an SDK's resource). */
export const RESOURCE = {
  serviceName: 'service.name',
  serviceVersion: 'service.version',
  sessionId: 'session.id',
  processPid: 'process.pid',
  sdkName: 'telemetry.sdk.name',
  sdkLanguage: 'telemetry.sdk.language',
  sdkVersion: 'telemetry.sdk.version',
} as const;

/** `telemetry.sdk.language` for Node.js: the registry's member `nodejs`. */
export const SDK_LANGUAGE_NODEJS = 'nodejs';
/** `telemetry.sdk.name`: rxtel is not the OpenTelemetry SDK (`opentelemetry` is reserved for it). */
export const SDK_NAME = 'rxtel';

/** Event names the conventions define (`model/session/events.yaml`; exceptions-logs: `exception` for global handlers). */
export const EVENT_NAME = { sessionStart: 'session.start', sessionEnd: 'session.end', exception: 'exception' } as const;

/** General attributes. */
export const ATTR = {
  sessionId: 'session.id',
  exceptionType: 'exception.type',
  exceptionMessage: 'exception.message',
  exceptionStacktrace: 'exception.stacktrace',
  httpResponseStatusCode: 'http.response.status_code',
  errorType: 'error.type',
} as const;

/** The GenAI attributes rxtel can fill from what its typed events carry. */
export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  conversationId: 'gen_ai.conversation.id',
  requestStream: 'gen_ai.request.stream',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  toolName: 'gen_ai.tool.name',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  agentName: 'gen_ai.agent.name',
} as const;

/** Well-known `gen_ai.operation.name` values used. */
export const GEN_AI_OPERATION = { chat: 'chat', executeTool: 'execute_tool', invokeAgent: 'invoke_agent' } as const;

/** `error.type`'s fallback value, from the error registry. */
export const ERROR_TYPE_OTHER = '_OTHER';

/** rxtel's own attributes: what its events carry that no convention names. */
export const RXTEL_ATTR = {
  eventId: 'rxtel.event.id',
  sessionIndex: 'rxtel.event.session_index',
  sessionDuration: 'rxtel.session.duration',
  responseBody: 'rxtel.http.response.body',
  totalTokens: 'rxtel.llm.usage.total_tokens',
  round: 'rxtel.llm.round',
} as const;
