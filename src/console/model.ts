/**
 * What the console stores and serves: every event it ingests (a Tinker batch's event, an OTLP log
 * record or span, a Langfuse ingestion item or OTLP span) becomes one {@link ConsoleEvent} of one
 * session, whatever protocol brought it. The JSON API (docs/console.md) answers in these shapes; the
 * UI reads nothing else.
 */

/** The five Tinker severities; OTLP severity numbers and Langfuse levels map onto them. */
export const SEVERITIES = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type ConsoleSeverity = (typeof SEVERITIES)[number];

/**
 * What an event is, for the UI's lanes:
 * - `session_start`, `session_end`: the Tinker lifecycle events (OTLP `session.start`/`session.end`);
 * - `exception`: an UNHANDLED_EXCEPTION, an OTLP `exception` log record, a span event `exception`;
 * - `span`: a span with start and end (rxtel's `span` events, OTLP spans, Langfuse spans);
 * - `llm`: an LLM generation, tool call or round (rxtel's `llm.*` events, GenAI spans, Langfuse generations);
 * - `health`: `telemetry.health`; `sink_health`: `telemetry.sink_health`;
 * - `log`: anything else.
 */
export const EVENT_KINDS = ['session_start', 'session_end', 'exception', 'span', 'llm', 'health', 'sink_health', 'log'] as const;
export type ConsoleEventKind = (typeof EVENT_KINDS)[number];

/** The protocol an event came in by. */
export type ConsoleSource = 'tinker' | 'otlp' | 'langfuse';

/** One frame of an exception's cause chain, outermost first. */
export interface ExceptionPart {
  readonly type: string;
  readonly message: string;
  /** The stack lines of this part (`    at …`), as sent; absent when none came. */
  readonly stack?: string;
}

/** A span's place in its trace. */
export interface SpanInfo {
  readonly trace_id: string;
  readonly span_id: string;
  readonly parent_span_id?: string;
  /** Epoch milliseconds (fractions keep microseconds). */
  readonly start_ms: number;
  readonly end_ms: number;
  /** `ok`, `error` or `unset`. */
  readonly status: string;
}

/** What an LLM event says about the call, where it says it. */
export interface LlmInfo {
  /** `generation`, `tool`, `round`, `chat` or the event's own word. */
  readonly type: string;
  readonly model?: string;
  readonly tool?: string;
  readonly input_tokens?: number;
  readonly output_tokens?: number;
  readonly latency_ms?: number;
  /** `ok`/`error`/…, or `true`/`false` for a tool's success, as sent. */
  readonly status?: string;
}

/** One stored event. */
export interface ConsoleEvent {
  /** Position in its session, from 0, in arrival order (assigned by the store). */
  readonly seq: number;
  /** The sender's id (`event_id`, `rxtel.event.id`, a span id, a Langfuse item id); duplicates are stored once. */
  readonly id: string;
  readonly session: string;
  /** When it happened, epoch milliseconds (the sender's clock). */
  readonly ts: number;
  /** When the console received it, epoch milliseconds. */
  readonly received_ms: number;
  readonly severity: ConsoleSeverity;
  readonly kind: ConsoleEventKind;
  /** `event_name`, the span's name, the exception's type, `SESSION_START`/`SESSION_END`, an OTLP `event_name` or body. */
  readonly name: string;
  readonly source: ConsoleSource;
  /** A one-line text: the exception's message, a log record's body, a span's name. */
  readonly message?: string;
  /** `event_data`, or the attributes (OTLP) / metadata (Langfuse), as sent. */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly trace_id?: string;
  readonly span_id?: string;
  readonly exception?: { readonly chain: readonly ExceptionPart[] };
  readonly span?: SpanInfo;
  readonly llm?: LlmInfo;
}

/** An event before the store gives it a position. */
export type IncomingEvent = Omit<ConsoleEvent, 'seq'>;

/** Where a session stands: `ended` after SESSION_END, `crashed` after a CRITICAL exception, else `running`. */
export type SessionStatus = 'running' | 'ended' | 'crashed';

/** What the console knows about the client of a session, from the first request that named it. */
export interface SessionClient {
  /** OTLP `service.name`; Tinker batches name none. */
  readonly service?: string;
  /** `rxtel 0.1.0`, `opentelemetry 1.30.0`, the Tinker batch's `sdk_version`, `langfuse-python 3.1.0`. */
  readonly sdk?: string;
  /** The Tinker batch's `platform` (`linux/x64`), or OTLP `os.type`/`process.runtime.name`. */
  readonly platform?: string;
}

/** One session as the sessions list shows it. */
export interface SessionSummary extends SessionClient {
  readonly id: string;
  readonly status: SessionStatus;
  /** Earliest event time, epoch ms. */
  readonly start_ms: number;
  /** Latest event time, epoch ms. */
  readonly last_ms: number;
  /** `last_ms - start_ms`, or the SESSION_END's own duration when it sent one. */
  readonly duration_ms: number;
  /** Last time an event arrived, epoch ms. */
  readonly received_ms: number;
  readonly events: number;
  readonly exceptions: number;
  /** Events per severity. */
  readonly severities: Readonly<Record<ConsoleSeverity, number>>;
  readonly sources: readonly ConsoleSource[];
  /** Bytes on disk. */
  readonly bytes: number;
}

/** Which events of a session to list; every field narrows. */
export interface EventFilter {
  /** Only these severities (none: all). */
  readonly severities?: readonly ConsoleSeverity[];
  /** Only these kinds (none: all). */
  readonly kinds?: readonly ConsoleEventKind[];
  /** Names containing this, case-insensitively. */
  readonly name?: string;
  /** Events whose name, message, data, stack or ids contain this, case-insensitively. */
  readonly text?: string;
  /** Only events of this trace. */
  readonly trace_id?: string;
}
