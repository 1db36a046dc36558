import type { Assert } from '../../schema/same-type.js';
import type { ExceptionPart, IncomingEvent, SessionClient } from '../model.js';
import { capData, capText } from './limits.js';

/** The events of one session that one request brought, and what it says about the client. */
export interface IngestGroup {
  readonly session: string;
  readonly client: SessionClient;
  readonly events: IncomingEvent[];
}

/**
 * What a normaliser made of one request: the events per session (for `store.append(session,
 * client, events)`), and what it refused. A normaliser never throws: whatever it cannot read is
 * refused and counted.
 */
export interface IngestResult {
  readonly groups: IngestGroup[];
  /** Records refused (log records, spans, batch items, events), each counted once. */
  readonly rejected: number;
  /** One line: why the first refused record was refused; absent when none was. */
  readonly reason?: string;
  /** Set when the body as a whole is not a request of this protocol (the server answers 400 with it). */
  readonly invalid?: string;
}

const MAX_REASON = 300;

/**
 * `text` on one line (whitespace runs become one space) of at most 300 characters: a refusal's reason.
 *
 * @example
 * ```ts
 * oneLine('span 3:\n  no id'); // 'span 3: no id'
 * ```
 */
export function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

/** Every field of an event, in the order it is written (so that stored JSON reads the same whatever the protocol). */
const KEYS = ['id', 'session', 'ts', 'received_ms', 'severity', 'kind', 'name', 'source', 'message', 'trace_id', 'span_id', 'span', 'llm', 'exception', 'data'] as const;

/** Compile-time: {@link KEYS} names every field of an incoming event (`tsc` fails when the model grows one). */
export type KeysCoverModel = Assert<Exclude<keyof IncomingEvent, (typeof KEYS)[number]> extends never ? true : false>;

function capPart(part: ExceptionPart): ExceptionPart {
  return { type: capText(part.type), message: capText(part.message), ...(part.stack === undefined ? {} : { stack: capText(part.stack) }) };
}

/**
 * The event within the console's limits (`limits.ts`): every string capped, `data` plain JSON,
 * fields that are `undefined` left out, and `data` too when it is empty.
 *
 * @example
 * ```ts
 * finishEvent({ id: 'e1', session: 's', ts: 1, received_ms: 2, severity: 'INFO', kind: 'log', name: 'x', source: 'tinker', message: undefined });
 * // { id: 'e1', session: 's', ts: 1, received_ms: 2, severity: 'INFO', kind: 'log', name: 'x', source: 'tinker' }
 * ```
 */
export function finishEvent(event: IncomingEvent): IncomingEvent {
  const out: Record<string, unknown> = {};
  const fields = event as unknown as Record<string, unknown>;
  for (const key of KEYS) {
    const value = fields[key];
    if (value === undefined) continue;
    if (typeof value === 'string') out[key] = capText(value);
    else if (key === 'data') {
      // An empty `data` says nothing: left out, whichever protocol brought it.
      if (typeof value !== 'object' || value === null || Object.keys(value).length > 0) out[key] = capData(value);
    }
    else if (key === 'exception') out[key] = { chain: (value as { chain: readonly ExceptionPart[] }).chain.map(capPart) };
    else if (key === 'span' || key === 'llm') out[key] = capData(value);
    else out[key] = value;
  }
  return out as unknown as IncomingEvent;
}

/**
 * Collects a request's events into one group per session, and its refusals.
 *
 * @example
 * ```ts
 * const groups = new Groups();
 * groups.add('s1', { sdk: 'rxtel 0.1.0' }, event);
 * groups.refuse('span 3: no span id');
 * groups.result(); // { groups: [{ session: 's1', client: …, events: [event] }], rejected: 1, reason: 'span 3: no span id' }
 * ```
 */
export class Groups {
  readonly #sessions = new Map<string, { session: string; client: SessionClient; events: IncomingEvent[] }>();
  #rejected = 0;
  #reason: string | undefined;

  /** Adds `event` (finished: {@link finishEvent}) to its session; the first value of each client field wins. */
  add(given: string, client: SessionClient, event: IncomingEvent): void {
    const session = capText(given);
    let group = this.#sessions.get(session);
    if (group === undefined) {
      group = { session, client: {}, events: [] };
      this.#sessions.set(session, group);
    }
    if (client.service !== undefined || client.sdk !== undefined || client.platform !== undefined) group.client = mergeClient(group.client, client);
    group.events.push(finishEvent({ ...event, session }));
  }

  /** Counts one refused record; the first reason is kept. */
  refuse(reason: string): void {
    this.#rejected += 1;
    this.#reason ??= oneLine(reason);
  }

  result(invalid?: string): IngestResult {
    const groups = [...this.#sessions.values()];
    return {
      groups,
      rejected: this.#rejected,
      ...(this.#reason === undefined ? {} : { reason: this.#reason }),
      ...(invalid === undefined ? {} : { invalid: oneLine(invalid) }),
    };
  }
}

function mergeClient(known: SessionClient, next: SessionClient): SessionClient {
  const service = known.service ?? next.service;
  const sdk = known.sdk ?? next.sdk;
  const platform = known.platform ?? next.platform;
  return {
    ...(service === undefined ? {} : { service: capText(service) }),
    ...(sdk === undefined ? {} : { sdk: capText(sdk) }),
    ...(platform === undefined ? {} : { platform: capText(platform) }),
  };
}

/**
 * The message of anything caught, for a refusal's reason; never throws itself.
 *
 * @example
 * ```ts
 * errorText(new TypeError('x is undefined')); // 'TypeError: x is undefined'
 * ```
 */
export function errorText(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'an unreadable error';
  }
}
