/**
 * The checks of the property-based end-to-end test (spec/e2e/properties.spec.ts): what must hold
 * of the reporter's counters and of what the receiver got, whatever the run. Each failing check
 * names what broke (fast-check adds the seed and the counterexample).
 *
 * What must hold, whatever the sequence:
 *
 * 1. The stats invariant `accepted = delivered + dropped.sendFailed + dropped.evicted + queued`,
 *    with `queued >= 0`, on every `stats$` emission for the whole run and after every action;
 *    the cumulative counters never go down; `queued` never exceeds `maxQueueSize` (+ the single
 *    SESSION_END, which always gets in).
 * 2. `flush()` resolves, and when it does every event accepted before the call has settled;
 *    `waitUntilDrained(t)` answering `true` means the same.
 * 3. After `stop(timeout)`: `settled === accepted`, `queued === 0`, `stats$` has completed.
 * 4. No event is delivered twice, and the receiver holds only events the reporter accepted, each
 *    index once (see "What delivered twice means" below).
 *
 * What "delivered twice" means. The receiver ignores `x-idempotency-key`: it stores each
 * `event_id` once and counts a re-sent one in `duplicates` (receiver.ts, `store`). So its stored
 * `events` never hold an `event_id` twice by construction, and a batch can legitimately reach it
 * twice: a retry after a *lost response* — the attempt timed out (`httpTimeoutMs`) or was
 * abandoned at the stop deadline while the receiver, delayed by a fault, still stored it and
 * answered 200 to nobody. Such a retry carries the same idempotency key, so a backend that honours
 * the key stores it once. The only way the reporter sends an event under a *new* key is the 413
 * split (docs/wire-format.md: "split the batch in halves and send each (new idempotency keys)").
 * (Those halves then go out under new keys even when an earlier attempt of the whole batch was
 * stored and its answer lost: a key-deduplicating backend would store such events twice. Documented
 * behaviour, and only reachable here because the fault queue answers 413 to a retry of a batch it
 * already stored; it is pinned by a scenario in properties.spec.ts and allowed by the lineage rule.)
 * So an event is delivered twice when:
 *  - the reporter is told "stored" (it *uses* a 2xx) for it more than once, or
 *  - it goes out under two idempotency keys that are not a 413 split of one another, or
 *  - two requests with one key carry different events, or one index comes with two event ids.
 *
 * Delivered vs stored. `stats.delivered` counts the events whose 2xx the reporter used. The
 * receiver can hold more: events whose only 2xx came after the reporter had given up on the
 * attempt (timed out, abandoned at the deadline); the reporter then retried (same key) and
 * finally counted the batch `sendFailed` (retries exhausted, a later 4xx/5xx, the stop deadline).
 * That does happen here (a delay fault longer than `httpTimeoutMs`, then failing faults). The
 * receiver alone cannot tell a 2xx the reporter read from one it never read, so half of the runs
 * (`observed`) give the reporter a spy around the very sink `createReporter` would build (a real
 * `TinkerHttpSink` on the receiver's URL): it records each attempt's result and whether the
 * reporter still waited for it. Those runs check exactly: `delivered` = the events of used 2xx
 * answers, each once; every late event's 200 answers are accounted for by attempts whose answer
 * the reporter never used. The other runs go through `createReporter({ endpoint, apiKey })` and
 * check the bounds `delivered <= stored <= delivered + sendFailed`.
 */
import { expect } from '@jest/globals';
import type { ReporterStats } from '../../../src/stats/counters.js';
import type { TelemetryEvent } from '../../../src/events/wire.js';
import { TELEMETRY_PATH, type Receiver } from '../../../src/receiver/receiver.js';
import type { ExportResult } from '../../../src/sinks/sink.js';
import type { RunOptions } from './model.js';

/** Every way a snapshot can break the invariant, as messages (empty when it holds). */
export function invariantProblems(s: ReporterStats, maxQueueSize: number): string[] {
  const problems: string[] = [];
  const sum = s.delivered + s.dropped.sendFailed + s.dropped.evicted + s.queued;
  if (s.accepted !== sum) {
    problems.push(
      `accepted ${s.accepted} ≠ delivered ${s.delivered} + sendFailed ${s.dropped.sendFailed} + evicted ${s.dropped.evicted} + queued ${s.queued} (= ${sum})`,
    );
  }
  if (s.queued < 0) problems.push(`queued ${s.queued} < 0`);
  if (s.settled > s.accepted) problems.push(`settled ${s.settled} > accepted ${s.accepted}`);
  if (s.delivered + s.dropped.sendFailed > s.settled) problems.push(`delivered ${s.delivered} + sendFailed ${s.dropped.sendFailed} > settled ${s.settled}`);
  // The single SESSION_END always gets in, even into a full queue.
  if (s.queued > maxQueueSize + 1) problems.push(`queued ${s.queued} > maxQueueSize ${maxQueueSize} + 1`);
  return problems;
}

const MONOTONE = ['accepted', 'settled', 'delivered', 'retries', 'batches'] as const;
const MONOTONE_DROPS = ['sendFailed', 'evicted', 'queueFull', 'coalesced'] as const;

/** Every counter that went down between two snapshots. */
export function regressions(before: ReporterStats, after: ReporterStats): string[] {
  const problems: string[] = [];
  for (const key of MONOTONE) if (after[key] < before[key]) problems.push(`${key} went down: ${before[key]} → ${after[key]}`);
  for (const key of MONOTONE_DROPS) {
    if (after.dropped[key] < before.dropped[key]) problems.push(`dropped.${key} went down: ${before.dropped[key]} → ${after.dropped[key]}`);
  }
  return problems;
}

/** One export attempt as the sink saw it, and whether the reporter used its result. */
export interface Attempt {
  readonly key: string;
  readonly attempt: number;
  readonly ids: readonly string[];
  readonly status: ExportResult['status'];
  /** The HTTP status of the answer, when one arrived (200 for a success). */
  readonly httpStatus: number | undefined;
  readonly payloadTooLarge: boolean;
  /**
   * The reporter still waited for this result. It aborts an attempt's signal synchronously when
   * its attempt timer or the stop deadline wins the race, and reads a result in the microtasks
   * right after the sink's promise resolves; so "not aborted when the result is ready" is exactly
   * "the reporter used it".
   */
  readonly used: boolean;
}

/** One POST to the telemetry path, as the receiver recorded it. */
interface Post {
  readonly key: string;
  readonly status: number;
  readonly sessionId: string;
  readonly events: readonly TelemetryEvent[];
  readonly ids: readonly string[];
}

function postsOf(receiver: Receiver): Post[] {
  return receiver.requests
    .filter((r) => r.method === 'POST' && r.path === TELEMETRY_PATH)
    .map((r) => {
      const body = r.body as { session_id: string; events: TelemetryEvent[] };
      const key = r.headers['x-idempotency-key'];
      return { key: typeof key === 'string' ? key : '', status: r.status, sessionId: body.session_id, events: body.events, ids: body.events.map((e) => e.event_id) };
    });
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

// Labelled assertions: a failing property names what broke (fast-check adds seed and counterexample).

export function same<T>(what: string, actual: T, expected: T): void {
  expect({ [what]: actual }).toEqual({ [what]: expected });
}

export function atMost(what: string, actual: number, bound: number): void {
  expect({ [what]: actual <= bound ? 'ok' : `${actual} > ${bound}` }).toEqual({ [what]: 'ok' });
}

export function holds(what: string, condition: boolean): void {
  same(what, condition, true);
}

/** What the receiver saw, grouped for the observed checks. */
export interface Wire {
  /** The requests of each idempotency key, in arrival order. */
  readonly byKey: ReadonlyMap<string, readonly Post[]>;
  /** The keys each event went out under. */
  readonly keysOfId: ReadonlyMap<string, readonly string[]>;
  readonly storedIds: ReadonlySet<string>;
}

/** The receiver's side, for both kinds of runs. */
export function checkReceiver(receiver: Receiver, sessionId: string, final: ReporterStats, options: RunOptions): Wire {
  const posts = postsOf(receiver);
  const stored = receiver.events;
  const storedIds = new Set(stored.map((e) => e.event_id));
  same('distinct event ids among stored events', storedIds.size, stored.length);
  for (const post of posts) {
    same('session_id of a request', post.sessionId, sessionId);
    holds('a request has an x-idempotency-key', post.key !== '');
    holds(`a request has 1..maxBatchSize (${options.maxBatchSize}) events, not ${post.events.length}`, post.events.length >= 1 && post.events.length <= options.maxBatchSize);
  }
  // Each stored event is of this session, was accepted (indexes are 0..accepted-1, in the door's
  // order), and holds its (session_id, event_session_index) alone.
  const indexes = new Set<number>();
  for (const event of stored) {
    same('session_id of a stored event', event.session_id, sessionId);
    atMost('stored event_session_index + 1 vs accepted', event.event_session_index + 1, final.accepted);
    holds(`event_session_index ${event.event_session_index} stored once`, !indexes.has(event.event_session_index));
    indexes.add(event.event_session_index);
  }
  // Evicted events are never sent.
  atMost('stored events vs accepted - evicted', stored.length, final.accepted - final.dropped.evicted);
  // Across every request, an index always comes with the same event id.
  const idOfIndex = new Map<number, string>();
  for (const event of posts.flatMap((p) => p.events)) {
    const known = idOfIndex.get(event.event_session_index);
    if (known !== undefined) same(`event id of index ${event.event_session_index}`, event.event_id, known);
    idOfIndex.set(event.event_session_index, event.event_id);
  }
  // A key names one batch: every request with it carries the same events, at most 1 + maxRetries times.
  const byKey = new Map<string, Post[]>();
  for (const post of posts) byKey.set(post.key, [...(byKey.get(post.key) ?? []), post]);
  for (const [key, list] of byKey) {
    for (const post of list) holds(`requests with key ${key} carry the same events`, sameList(post.ids, list[0]!.ids));
    atMost(`requests with key ${key} vs 1 + maxRetries`, list.length, options.maxRetries + 1);
  }
  // An event goes out under two keys only through a 413 split: one key's events strictly contain
  // the other's, and that key was answered 413.
  const keysOfId = new Map<string, string[]>();
  for (const [key, list] of byKey) for (const id of list[0]!.ids) keysOfId.set(id, [...(keysOfId.get(id) ?? []), key]);
  for (const [id, keys] of keysOfId) {
    for (const a of keys) {
      for (const b of keys) {
        if (a === b) continue;
        const [parent, child] = byKey.get(a)![0]!.ids.length > byKey.get(b)![0]!.ids.length ? [a, b] : [b, a];
        const parentIds = new Set(byKey.get(parent)![0]!.ids);
        const childIds = byKey.get(child)![0]!.ids;
        const nested = parentIds.size > childIds.length && childIds.every((x) => parentIds.has(x));
        const answered413 = byKey.get(parent)!.some((p) => p.status === 413);
        same(`event ${id} under keys ${parent} and ${child}`, { nested, answered413 }, { nested: true, answered413: true });
      }
    }
  }
  // The receiver's duplicates are re-sent copies of stored events, nothing else.
  const ok = posts.filter((p) => p.status === 200);
  same('receiver.duplicates', receiver.duplicates, ok.reduce((sum, p) => sum + p.events.length, 0) - stored.length);
  // Every stored event was counted delivered, or given up after a 2xx the reporter never read.
  atMost('delivered vs stored', final.delivered, stored.length);
  atMost('stored - delivered vs sendFailed', stored.length - final.delivered, final.dropped.sendFailed);
  atMost('batches vs requests answered 200', final.batches, ok.length);
  return { byKey, keysOfId, storedIds };
}

/** The exact accounting of an observed run: what the reporter read of each attempt vs what the receiver did. */
export function checkObserved(attempts: readonly Attempt[], wire: Wire, receiver: Receiver, final: ReporterStats, options: RunOptions): { lost: boolean; late: number } {
  const { byKey, keysOfId, storedIds } = wire;
  const used2xx = attempts.filter((a) => a.used && a.status === 'success');
  const delivered = new Set(used2xx.flatMap((a) => a.ids));
  // Told "stored" at most once per event: the sizes of the used 2xx answers add up to their distinct events.
  same('events of used 2xx answers (with repeats)', used2xx.reduce((sum, a) => sum + a.ids.length, 0), delivered.size);
  same('stats.delivered vs distinct events of used 2xx answers', final.delivered, delivered.size);
  same('stats.batches vs used 2xx answers', final.batches, used2xx.length);
  for (const id of delivered) holds(`delivered event ${id} is stored`, storedIds.has(id));

  // Per key: attempts numbered from 0, at most 1 + maxRetries, all with the same events; each
  // answer the sink got is one the receiver gave; the receiver's other answers for the key (lost
  // on the way) are no more than the attempts that got no answer (timed out, abandoned, network).
  const attemptsByKey = new Map<string, Attempt[]>();
  for (const a of attempts) attemptsByKey.set(a.key, [...(attemptsByKey.get(a.key) ?? []), a]);
  let retried = 0;
  let lost = false;
  for (const [key, list] of attemptsByKey) {
    same(`attempt numbers of key ${key}`, list.map((a) => a.attempt).sort((x, y) => x - y), list.map((_, i) => i));
    atMost(`attempts of key ${key} vs 1 + maxRetries`, list.length, options.maxRetries + 1);
    retried += list.length - 1;
    for (const a of list) holds(`attempts of key ${key} carry the same events`, sameList(a.ids, list[0]!.ids));
    const answers = (byKey.get(key) ?? []).map((p) => p.status);
    for (const a of list) {
      if (a.httpStatus === undefined) continue;
      const at = answers.indexOf(a.httpStatus);
      holds(`answer ${a.httpStatus} to key ${key} came from the receiver`, at >= 0);
      answers.splice(at, 1);
    }
    atMost(`answers to key ${key} the sink never got vs its unanswered attempts`, answers.length, list.filter((a) => a.httpStatus === undefined).length);
    if (answers.length > 0) lost = true;
  }
  atMost('attempts after a first vs stats.retries', retried, final.retries);
  // A new key for events already sent comes only after the reporter read a 413 for the larger batch.
  for (const [id, keys] of keysOfId) {
    if (keys.length < 2) continue;
    const largest = keys.reduce((a, b) => (byKey.get(b)![0]!.ids.length > byKey.get(a)![0]!.ids.length ? b : a));
    holds(`event ${id} under ${keys.length} keys: the reporter read a 413 for ${largest}`, (attemptsByKey.get(largest) ?? []).some((a) => a.used && a.payloadTooLarge));
  }
  // Nobody but the sink posted: every key the receiver saw is one the sink sent.
  for (const key of byKey.keys()) holds(`key ${key} was sent by the sink`, attemptsByKey.has(key));

  // Late events: stored, never delivered. Each was stored by a 2xx the reporter did not read
  // (no used 2xx for its key), and its batch was counted sendFailed.
  const late = [...storedIds].filter((id) => !delivered.has(id));
  same('stored events vs delivered + late', receiver.events.length, final.delivered + late.length);
  atMost('late events vs sendFailed', late.length, final.dropped.sendFailed);
  for (const id of late) {
    const unread = (keysOfId.get(id) ?? []).some(
      (key) => (byKey.get(key) ?? []).some((p) => p.status === 200) && !(attemptsByKey.get(key) ?? []).some((a) => a.used && a.status === 'success'),
    );
    holds(`late event ${id} was stored by a 2xx the reporter did not read`, unread);
  }
  return { lost, late: late.length };
}
