import { z } from 'zod';
import { isRecord } from './guards.js';

/** The four Tinker event kinds, spelled as on the wire. */
export const EventKind = z.enum(['SESSION_START', 'SESSION_END', 'UNHANDLED_EXCEPTION', 'GENERIC_EVENT']);
export type EventKind = z.infer<typeof EventKind>;

/** The five Tinker severities, spelled as on the wire. */
export const Severity = z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
export type Severity = z.infer<typeof Severity>;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const DURATION = /^\d+:\d{2}:\d{2}\.\d{6}$/;

/**
 * `event_data` is passed through as parsed, never rebuilt: zod's record and object schemas copy
 * the keys they check into a new object and leave out a `__proto__` key, which for event data is
 * an ordinary key that must arrive with its value.
 */
const EventData = z.custom<Record<string, unknown>>(isRecord, {
  error: 'expected an object',
});

const common = {
  event_id: z.string().min(1),
  event_session_index: z.number().int().nonnegative(),
  severity: Severity,
  timestamp: z.string().regex(TIMESTAMP, 'expected UTC ISO-8601 with microseconds and Z'),
};

export const SessionStartEvent = z.strictObject({ event: z.literal('SESSION_START'), ...common });
export const SessionEndEvent = z.strictObject({
  event: z.literal('SESSION_END'),
  ...common,
  duration: z.string().regex(DURATION, 'expected H:MM:SS.ffffff'),
});
export const UnhandledExceptionEvent = z.strictObject({
  event: z.literal('UNHANDLED_EXCEPTION'),
  ...common,
  error_type: z.string(),
  error_message: z.string(),
  traceback: z.string().optional(),
});
export const GenericEvent = z.strictObject({
  event: z.literal('GENERIC_EVENT'),
  ...common,
  event_name: z.string().min(1),
  event_data: EventData,
});

/** One event as the Tinker API receives it; what every sink and `beforeSend` see. */
export const TelemetryEvent = z.discriminatedUnion('event', [
  SessionStartEvent,
  SessionEndEvent,
  UnhandledExceptionEvent,
  GenericEvent,
]);
export type TelemetryEvent = z.infer<typeof TelemetryEvent>;
export type SessionStartEvent = z.infer<typeof SessionStartEvent>;
export type SessionEndEvent = z.infer<typeof SessionEndEvent>;
export type UnhandledExceptionEvent = z.infer<typeof UnhandledExceptionEvent>;
export type GenericEvent = z.infer<typeof GenericEvent>;

/**
 * The body of `POST /api/v1/telemetry`, exactly as rxtel sends it. The receiver accepts more (what
 * the Tinker Python SDK sends too): src/receiver/received-batch.ts.
 */
export const TelemetryBatch = z.strictObject({
  session_id: z.uuid(),
  platform: z.string(),
  sdk_version: z.string(),
  process_uuid: z.uuid().optional(),
  events: z.array(TelemetryEvent).min(1),
});
export type TelemetryBatch = z.infer<typeof TelemetryBatch>;

/**
 * The user's last word on an event before it is queued: return it (changed or not) to keep it,
 * `null` to drop it. It sees the wire shape (after redaction; `event_id` is assigned at export and
 * shown empty). SESSION_START/END never pass through it.
 */
export type BeforeSend = (event: TelemetryEvent) => TelemetryEvent | null;
