/**
 * One line of a session file: a {@link ConsoleEvent} as JSON with its `seq`, and, on the first event
 * of an append that told the store something new about the client, a `client` field with the
 * session's client facts so far (so that they survive the loss of the index). Reading a line back
 * checks its shape and takes `client` off again.
 */
import { EVENT_KINDS, SEVERITIES, type ConsoleEvent, type ConsoleEventKind, type ConsoleSeverity, type IncomingEvent, type SessionClient } from '../model.js';

const OPTIONAL = ['message', 'data', 'trace_id', 'span_id', 'exception', 'span', 'llm'] as const;

/** What {@link storedEvent} leaves of an event, and what a line reads back as. */
export interface EventLine {
  readonly event: ConsoleEvent;
  readonly client?: SessionClient;
}

const severityOf = (value: unknown): ConsoleSeverity => (SEVERITIES.includes(value as ConsoleSeverity) ? (value as ConsoleSeverity) : 'INFO');
const kindOf = (value: unknown): ConsoleEventKind => (EVENT_KINDS.includes(value as ConsoleEventKind) ? (value as ConsoleEventKind) : 'log');
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

/**
 * The event as the store keeps it: its position, the session it was appended to and the store's
 * receive time; a severity or kind outside the model becomes `INFO`/`log`, a `ts` that is not a
 * finite number becomes the receive time. Only the model's fields are copied, each as an own
 * property (never through a setter, so `__proto__` inside `data` stays data).
 *
 * @example
 * ```ts
 * storedEvent({ id: 'e1', session: 'x', ts: 1, received_ms: 0, severity: 'INFO', kind: 'log', name: 'a', source: 'tinker' }, 's', 0, 5);
 * // → { seq: 0, id: 'e1', session: 's', ts: 1, received_ms: 5, severity: 'INFO', kind: 'log', name: 'a', source: 'tinker' }
 * ```
 */
export function storedEvent(input: IncomingEvent, session: string, seq: number, receivedMs: number): ConsoleEvent {
  const out: Record<string, unknown> = {
    seq,
    id: text(input.id),
    session,
    ts: typeof input.ts === 'number' && Number.isFinite(input.ts) ? input.ts : receivedMs,
    received_ms: receivedMs,
    severity: severityOf(input.severity),
    kind: kindOf(input.kind),
    name: text(input.name),
    source: input.source,
  };
  for (const key of OPTIONAL) if (input[key] !== undefined) out[key] = input[key];
  return out as unknown as ConsoleEvent;
}

/**
 * The JSON line (without its newline) for `event`, with `client` when given. Data that cannot be
 * JSON (a cycle, a BigInt, a throwing `toJSON`) is replaced by a note saying so, never thrown.
 *
 * @example
 * ```ts
 * eventLine(event, { service: 'api' }); // '{"seq":0,…,"client":{"service":"api"}}'
 * ```
 */
export function eventLine(event: ConsoleEvent, client?: SessionClient): string {
  const value = client === undefined ? event : { ...event, client };
  try {
    return JSON.stringify(value);
  } catch (error) {
    const note = { stored_without_data: error instanceof Error ? error.message : String(error) };
    return JSON.stringify({ ...value, data: note });
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one line back: the event and the client facts it carried, or `undefined` when the line is
 * not an event this store wrote (not JSON, or a field of the wrong type).
 *
 * @example
 * ```ts
 * parseEventLine('{"seq":0,"id":"e1","session":"s","ts":1,"received_ms":5,"severity":"INFO","kind":"log","name":"a","source":"tinker"}');
 * // → { event: { seq: 0, … } }
 * parseEventLine('{"seq":0,"id"'); // undefined
 * ```
 */
export function parseEventLine(line: string): EventLine | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const { seq, id, session, ts, received_ms: received, severity, kind, name } = parsed;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  if (typeof id !== 'string' || typeof session !== 'string' || typeof name !== 'string') return undefined;
  if (typeof ts !== 'number' || typeof received !== 'number') return undefined;
  if (!SEVERITIES.includes(severity as ConsoleSeverity) || !EVENT_KINDS.includes(kind as ConsoleEventKind)) return undefined;
  if (!Object.hasOwn(parsed, 'client')) return { event: parsed as unknown as ConsoleEvent };
  const { client, ...event } = parsed;
  return isRecord(client) ? { event: event as unknown as ConsoleEvent, client: clientFacts(client) } : { event: event as unknown as ConsoleEvent };
}

/**
 * The non-empty string facts of `client` (`service`, `sdk`, `platform`), nothing else.
 *
 * @example
 * ```ts
 * clientFacts({ service: 'api', sdk: '', platform: 7 }); // { service: 'api' }
 * ```
 */
export function clientFacts(client: unknown): SessionClient {
  if (!isRecord(client)) return {};
  const out: { service?: string; sdk?: string; platform?: string } = {};
  for (const key of ['service', 'sdk', 'platform'] as const) {
    const value = client[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}
