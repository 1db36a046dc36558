import { z } from 'zod';
import { GenericEvent, SessionEndEvent, SessionStartEvent, TelemetryBatch, UnhandledExceptionEvent, type TelemetryEvent } from '../events/wire.js';
import type { Assert } from '../schema/same-type.js';

const DATE = String.raw`\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])`;
const TIME = String.raw`(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?`;
const ZONE = String.raw`(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)`;
/** RFC 3339 date-time: a zone is required, the fraction has 0 to 9 digits. */
const TIMESTAMP = new RegExp(`^${DATE}T${TIME}${ZONE}$`);
/** Python's `str(timedelta)`: `[-]D day[s], ` when there are days, hours unpadded, microseconds only when not 0. */
const TIMEDELTA = /^(?:-?\d+ days?, )?\d+:[0-5]\d:[0-5]\d(?:\.\d{6})?$/;
/** ISO 8601 duration (P…T…): at least one component, a fraction only on the seconds. */
const ISO_DURATION = /^P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:[.,]\d+)?S)?)?$/;

const timestamp = z.string().regex(TIMESTAMP, 'expected an ISO-8601 date-time with a zone (Z or ±HH:MM)');
const duration = z.string().refine((text) => TIMEDELTA.test(text) || ISO_DURATION.test(text), {
  message: "expected Python's str(timedelta) (H:MM:SS[.ffffff], after 'N day(s), ' past a day) or an ISO 8601 duration",
});
// The model's default; kept as the object that was sent when there is one (never rebuilt, see wire.ts).
const eventData = GenericEvent.shape.event_data.optional().transform((data) => data ?? {});

/** One event as the receiver accepts it (see {@link ReceivedBatch}). */
export const ReceivedEvent = z.discriminatedUnion('event', [
  SessionStartEvent.extend({ timestamp }),
  SessionEndEvent.extend({ timestamp, duration }),
  UnhandledExceptionEvent.extend({ timestamp }),
  GenericEvent.extend({ timestamp, event_data: eventData }),
]);

/**
 * The body of `POST /api/v1/telemetry` as the receiver accepts it: every body a Tinker client
 * sends, which is more than rxtel sends. `TelemetryBatch` (src/events/wire.ts) stays the exact
 * shape of rxtel's own output, which tests and users check rxtel against; this schema widens only
 * where the official Python SDK (thinking-machines-lab/tinker 0.25.0, src/tinker/types/*.py)
 * writes other forms:
 *
 * - `timestamp`: the models type it `datetime`, which pydantic writes without a fraction on a whole
 *   second (`2026-01-01T00:00:00Z`); other writers give `+00:00` or fewer digits. Any RFC 3339
 *   date-time is taken: a zone (`Z` or `±HH:MM`) and 0 to 9 fractional digits. One without a zone
 *   is not: no SDK sends it, and it names no instant.
 * - `duration`: the SDK sends Python's `str(timedelta)` (`0:00:05`, `1 day, 2:00:00.000007`,
 *   `-1 day, 23:59:59`); its model's docstring says "ISO 8601 duration string", so `PT5.5S` too.
 * - `event_data`: the model defaults it to `{}`, so it may be absent; it is stored as `{}`.
 *
 * Everything else is as strict as rxtel's own shape: `session_id` a UUID (the Tinker server answers
 * 422 to anything else: issue thinking-machines-lab/tinker#55), no unknown fields, the same kinds
 * and severities. Values are kept as sent, never normalised.
 *
 * @example
 * ```ts
 * ReceivedBatch.safeParse(JSON.parse(text)).success; // true for what the Python SDK sends
 * ```
 */
export const ReceivedBatch = TelemetryBatch.extend({ events: z.array(ReceivedEvent).min(1) });
export type ReceivedBatch = z.infer<typeof ReceivedBatch>;

/** The receiver stores the shape every sink and `StoredEvent` know: `tsc` fails if that stops being so. */
export type ReceivedEventsAreTelemetryEvents = Assert<z.infer<typeof ReceivedEvent> extends TelemetryEvent ? true : false>;
