import { sessionTraceId } from '../../sinks/otlp/ids.js';
import type { SessionClient } from '../model.js';
import { checkItem, type LangfuseItem } from './langfuse-check.js';
import { observationEvent, otherEvent, traceEvent, type TracePlace } from './langfuse-event.js';
import { isObject, text } from './otlp-values.js';
import { errorText, Groups, oneLine, type IngestResult } from './result.js';

/**
 * Langfuse's ingestion API, `POST /api/public/ingestion` (langfuse/langfuse v4.16.0+30:
 * `web/src/pages/api/public/ingestion.ts`, `packages/shared/src/server/ingestion/types.ts` and
 * `processEventBatch.ts`; `fern/apis/server/definition/ingestion.yml`), as console events: the body
 * `{ batch: [{ id, type, timestamp, body }], metadata? }`, each valid item one event (see
 * `langfuse-event.ts`), and the answer Langfuse gives, HTTP 207 with `{ successes, errors }`.
 */

/** Langfuse's 207 answer: each item by its envelope id. */
export interface LangfuseItemResults {
  readonly successes: { readonly id: string; readonly status: 201 }[];
  readonly errors: { readonly id: string; readonly status: 400; readonly message: string; readonly error: string }[];
}

/** What a Langfuse request gave: the events, and Langfuse's answer for it. */
export interface LangfuseNormalised extends IngestResult {
  /** The body of the 207 answer (when `invalid` is set, answer 400 `{ message: 'Invalid request data', errors: [invalid] }` instead). */
  readonly itemResults: LangfuseItemResults;
  /** The session each trace this request created was given (trace id → session), for `sessionOfTrace` on later requests. */
  readonly traceSessions: ReadonlyMap<string, string>;
}

/** What the request says beyond its body. */
export interface LangfuseOptions {
  /** `x-langfuse-sdk-name` and `x-langfuse-sdk-version`, used when the body's `metadata` names no SDK. */
  readonly sdkName?: string | undefined;
  readonly sdkVersion?: string | undefined;
  /** The session an earlier request gave a trace (the server's memory of `traceSessions`): a trace-create is sent once, its observations in later batches. */
  readonly sessionOfTrace?: ((traceId: string) => string | undefined) | undefined;
}

/** The session of items that belong to no trace and name no session (SDK logs, a score of nothing). */
export const NO_TRACE_SESSION = 'langfuse';
/** The trace rxtel's LangfuseSink puts a session's events in when they name no trace (src/sinks/langfuse/encode.ts). */
const RXTEL_SESSION_TRACE = 'rxtel.session';

/** `rxtel 0.1.0`, `langfuse-python 4.14.3` (the SDKs name themselves `python`, `js`), or the name as sent. */
function clientOf(metadata: unknown, options: LangfuseOptions): SessionClient {
  const name = (isObject(metadata) ? text(metadata['sdk_name']) : undefined) ?? text(options.sdkName);
  const version = (isObject(metadata) ? text(metadata['sdk_version']) : undefined) ?? text(options.sdkVersion);
  if (name === undefined) return {};
  const sdk = name === 'python' || name === 'js' || name === 'javascript' ? `langfuse-${name === 'python' ? 'python' : 'js'}` : name;
  return { sdk: version === undefined ? sdk : `${sdk} ${version}` };
}

const isUpdate = (item: LangfuseItem): boolean => item.type.endsWith('-update');

/** An update's fields over its create's (a field set in the update wins), as Langfuse merges them. */
function merge(create: LangfuseItem, update: LangfuseItem): LangfuseItem {
  const body: Record<string, unknown> = { ...create.body };
  for (const [key, value] of Object.entries(update.body)) if (value !== undefined && value !== null) body[key] = value;
  return { ...create, body };
}

/**
 * The events of an ingestion request, grouped by session, and Langfuse's answer. Session: the
 * `sessionId` of the item's trace (a `trace-create` in this request, or `options.sessionOfTrace`),
 * else `langfuse:<traceId>`. An update is merged into its create when both are in the request (the
 * create's id is the event's); alone, it is an event of its own. Never throws; an item Langfuse
 * would refuse is refused with Langfuse's 400 entry.
 *
 * @example
 * ```ts
 * const result = normaliseLangfuseIngestion(JSON.parse(body), Date.now(), { sessionOfTrace: (id) => traces.get(id) });
 * for (const [trace, session] of result.traceSessions) traces.set(trace, session);
 * res.writeHead(result.invalid === undefined ? 207 : 400).end(JSON.stringify(result.itemResults));
 * ```
 */
export function normaliseLangfuseIngestion(body: unknown, now: number, options: LangfuseOptions = {}): LangfuseNormalised {
  const groups = new Groups();
  const itemResults: LangfuseItemResults = { successes: [], errors: [] };
  const traceSessions = new Map<string, string>();
  try {
    return walk(body, now, options, { groups, itemResults, traceSessions });
  } catch (error) {
    // Only a body that is no parsed JSON (a Proxy, a getter that throws) gets here.
    return { ...groups.result(`Invalid request data: unreadable body (${errorText(error)})`), itemResults: { successes: [], errors: [] }, traceSessions: new Map() };
  }
}

function walk(
  body: unknown,
  now: number,
  options: LangfuseOptions,
  { groups, itemResults, traceSessions }: { groups: Groups; itemResults: LangfuseItemResults; traceSessions: Map<string, string> },
): LangfuseNormalised {
  const request = isObject(body) ? body : undefined;
  const batch = request?.['batch'];
  if (!Array.isArray(batch)) return { ...groups.result('Invalid request data: the body must be { batch: [...] }'), itemResults, traceSessions };
  const client = clientOf(request?.['metadata'], options);
  const items: LangfuseItem[] = [];
  const containers = new Set<string>();
  batch.forEach((raw, index) => {
    const checked = checkItem(raw);
    if ('refused' in checked) {
      const id = isObject(raw) && typeof raw['id'] === 'string' ? raw['id'] : 'unknown';
      itemResults.errors.push({ id, status: 400, message: 'Invalid request data', error: checked.refused });
      return groups.refuse(`batch[${index}]: ${checked.refused}`);
    }
    items.push(checked.item);
    const { type, body: itemBody } = checked.item;
    const traceId = text(itemBody['id']) ?? checked.item.id;
    const session = text(itemBody['sessionId']);
    if (type === 'trace-create' && session !== undefined) traceSessions.set(traceId, session);
    if (type === 'trace-create' && itemBody['name'] === RXTEL_SESSION_TRACE && traceId === session) containers.add(traceId);
  });
  const place = (traceId: string | undefined, sessionId: string | undefined): TracePlace => {
    const session = sessionId ?? (traceId === undefined ? undefined : (traceSessions.get(traceId) ?? options.sessionOfTrace?.(traceId))) ?? (traceId === undefined ? NO_TRACE_SESSION : `langfuse:${traceId}`);
    if (traceId !== undefined && containers.has(traceId)) return { session, traceId: undefined, spanTraceId: sessionTraceId(session) };
    return { session, traceId, spanTraceId: traceId };
  };
  // Creates first, then each update merged into a create of this request with the same body id.
  const observations = new Map<string, { item: LangfuseItem }>();
  const ordered: { item: LangfuseItem }[] = [];
  for (const item of items) {
    if (isUpdate(item)) continue;
    const entry = { item };
    ordered.push(entry);
    const observationId = text(item.body['id']);
    if (item.type !== 'trace-create' && item.type !== 'score-create' && item.type !== 'sdk-log' && observationId !== undefined && !observations.has(observationId)) observations.set(observationId, entry);
  }
  for (const item of items.filter(isUpdate)) {
    const create = observations.get(text(item.body['id']) ?? '');
    if (create === undefined) ordered.push({ item });
    else create.item = merge(create.item, item);
  }
  const failed = new Set<string>();
  for (const { item } of ordered) {
    try {
      const traceId = item.type === 'trace-create' ? (text(item.body['id']) ?? item.id) : text(item.body['traceId']);
      const sessionId = item.type === 'trace-create' || item.type === 'score-create' ? text(item.body['sessionId']) : undefined;
      const observation = item.type !== 'trace-create' && item.type !== 'score-create' && item.type !== 'sdk-log';
      // An observation of no trace is a session of its own, as Langfuse makes it a trace of its own.
      const where = place(traceId, observation && traceId === undefined ? `langfuse:${text(item.body['id']) ?? item.id}` : sessionId);
      const event = !observation ? (item.type === 'trace-create' ? traceEvent(item, where, now) : otherEvent(item, where, now)) : observationEvent(item, where, now);
      if (event !== undefined) groups.add(event.session, client, event);
    } catch (error) {
      failed.add(item.id);
      itemResults.errors.push({ id: item.id, status: 400, message: 'Invalid request data', error: oneLine(errorText(error)) });
      groups.refuse(`item ${item.id}: ${errorText(error)}`);
    }
  }
  // Every item that passed, in batch order (an update merged into its create too).
  for (const item of items) if (!failed.has(item.id)) itemResults.successes.push({ id: item.id, status: 201 });
  return { ...groups.result(), itemResults, traceSessions };
}
