import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { Counters } from '../../stats/counters.js';
import { BASE_EVENT_BYTES } from './admit.js';
import { withoutContent } from '../../events/content.js';
import { setOwn } from '../../events/own-key.js';
import { isEvent, type Command } from '../../inbox/commands.js';

// The default list is the option's default, declared with the options; here for the operator's users.
export { DEFAULT_REDACT_KEYS } from '../../config/options.js';

export const REDACTED = '[REDACTED]';

/** `apiKey`, `X-Api-Key`, `api_key` → `api_key` / `x_api_key`. */
const normalise = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-.\s]+/g, '_').toLowerCase();

/** Keys longer than this are matched every time, never cached: a cache keyed by user data must be bounded in bytes, not only in entries. */
const MAX_CACHED_KEY_LENGTH = 64;
/** Entries and characters of keys the cache holds at most: with the length bound, well under 1 MB. */
const MAX_CACHED_KEYS = 10_000;
const MAX_CACHED_CHARS = 128 * 1024;

/**
 * A RegExp's test, made safe to call once per key: a plain copy without `g`/`y` (whose `lastIndex`
 * would make every other test of the same key fail, and let a secret through), and a test that
 * throws (a RegExp subclass) counts as a match: when in doubt, redact.
 */
function statelessTest(pattern: RegExp): (key: string) => boolean {
  let regexp: RegExp = pattern;
  try {
    regexp = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  } catch {
    // Keep the pattern as given; its test is guarded below.
  }
  return (key) => {
    try {
      return regexp.test(key);
    } catch {
      return true;
    }
  };
}

/**
 * A key matcher: a name matches the key itself or its last `_`-separated part(s) (`db_password`,
 * `x_api_key`, `accessToken`), never a longer word (`input_tokens` keeps its value); a RegExp is
 * tested against the key as written. Verdicts are cached: keys repeat, events do not. The cache
 * keeps short keys only, up to {@link MAX_CACHED_KEYS} of them and {@link MAX_CACHED_CHARS} characters in all, so that events with
 * large or ever-new key names cost their matching and nothing that outlives them.
 */
export function keyMatcher(patterns: readonly (string | RegExp)[]): (key: string) => boolean {
  const names = patterns.filter((p): p is string => typeof p === 'string').map(normalise);
  const regexps = patterns.filter((p): p is RegExp => p instanceof RegExp).map(statelessTest);
  const cache = new Map<string, boolean>();
  let cachedChars = 0;
  return (key) => {
    let verdict = cache.get(key);
    if (verdict === undefined) {
      const n = normalise(key);
      verdict = names.some((name) => n === name || n.endsWith(`_${name}`)) || regexps.some((test) => test(key));
      if (key.length <= MAX_CACHED_KEY_LENGTH && cache.size < MAX_CACHED_KEYS && cachedChars + key.length <= MAX_CACHED_CHARS) {
        cache.set(key, verdict);
        cachedChars += key.length;
      }
    }
    return verdict;
  };
}

function redactValue(value: unknown, matches: (key: string) => boolean, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > 32) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = redactValue(item, matches, depth + 1);
      if (next !== item) (copy ??= value.slice())[i] = next;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  // Sanitised data is plain JSON objects: for…in sees exactly the own keys, without an array per call.
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    const next = matches(key) ? REDACTED : redactValue(item, matches, depth + 1);
    // setOwn: an own `__proto__` key stays a key of the copy (an assignment would set its prototype).
    if (next !== item) setOwn((copy ??= { ...(value as Record<string, unknown>) }), key, next);
  }
  return copy ?? value;
}

/**
 * The JSON size of `data`: an estimate, cheap for small data (what the queue's byte bound counts),
 * and exact (UTF-8 bytes) whenever it might pass `limit`. That check uses a true upper bound — a
 * UTF-16 unit costs at most 6 bytes of JSON (`\u001f`, a lone surrogate's `\udXXX`), in keys
 * as in values — so nothing larger than `limit` is ever taken for smaller.
 */
function jsonBytes(data: Record<string, unknown>, limit: number): number {
  let estimate = 2;
  let bound = 2;
  for (const key in data) {
    const value = data[key];
    if (typeof value === 'string') {
      estimate += key.length + 4 + value.length * 3 + 2;
      bound += (key.length + value.length) * 6 + 6;
    } else {
      const size = typeof value === 'object' && value !== null ? limit : 24;
      estimate += key.length + 4 + size;
      bound += key.length * 6 + 4 + size;
    }
    if (bound > limit) return Buffer.byteLength(JSON.stringify(data));
  }
  return estimate;
}

export interface RedactOptions {
  readonly redactKeys: readonly (string | RegExp)[];
  /** Larger `event_data` (JSON bytes) is replaced by `{ truncated: true, original_bytes }`. */
  readonly maxEventBytes: number;
  readonly counters: Counters;
  /** Off: raw content (`event_data.content`, generation and tool `input`/`output`) becomes `{ redacted: true, chars }` here, before the queue. */
  readonly captureContent?: boolean;
}

/**
 * Before an event is queued — so secrets are never held in memory waiting for a flush — values
 * under matching keys become `"[REDACTED]"` at any depth, and an oversized `event_data` is
 * replaced by `{ truncated: true, original_bytes }` (counted in `coerced.oversized`). Unless
 * `captureContent` is on, raw content is replaced by its size here too.
 */
export function redactEvents(options: RedactOptions): MonoTypeOperatorFunction<Command> {
  const matches = keyMatcher(options.redactKeys);
  const { maxEventBytes, counters } = options;
  return tap((command) => {
    if (!isEvent(command) || command.kind !== 'GENERIC_EVENT') return;
    let data = redactValue(command.data, matches, 0) as Record<string, unknown>;
    if (options.captureContent !== true) data = withoutContent(command.name as string, data);
    const bytes = jsonBytes(data, maxEventBytes);
    if (bytes > maxEventBytes) {
      command.data = { truncated: true, original_bytes: bytes };
      counters.coerced.oversized++;
    } else {
      command.data = data;
    }
    command.bytes = BASE_EVENT_BYTES + Math.min(bytes, maxEventBytes);
  });
}
