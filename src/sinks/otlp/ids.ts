import { createHash } from 'node:crypto';

/**
 * Trace and span ids as OTLP carries them: a trace id is 16 bytes, a span id 8, both sent in
 * OTLP/JSON as lower-case hex (32 and 16 characters), and an all-zero id is invalid (W3C Trace
 * Context §3.2.2.3–4; opentelemetry-proto v1.11.0 `trace.proto`, `logs.proto`). Every id an OTLP
 * encoder of rxtel writes comes from one of these functions, so none can be malformed.
 */

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ZERO32 = '0'.repeat(32);
const ZERO16 = '0'.repeat(16);

/** Whether `id` is a valid OTLP trace id as rxtel writes it: 32 lower-case hex, not all zeros. */
export function isTraceId(id: unknown): id is string {
  return typeof id === 'string' && HEX32.test(id) && id !== ZERO32;
}

/** Whether `id` is a valid OTLP span id as rxtel writes it: 16 lower-case hex, not all zeros. */
export function isSpanId(id: unknown): id is string {
  return typeof id === 'string' && HEX16.test(id) && id !== ZERO16;
}

/**
 * The trace id `value` names, lower-cased: 32 hex characters in either case, or a UUID (the same
 * 16 bytes with dashes, as `reporter.with({ traceId: randomUUID() })` gives). `undefined` for
 * anything else and for the all-zero id.
 *
 * @example
 * ```ts
 * traceIdOf('5B8EFFF798038103D269B633813FC60C'); // '5b8efff798038103d269b633813fc60c'
 * traceIdOf('0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10'); // '0b6f3c9e3f5a4c1e9a530d2f4f1b7a10'
 * traceIdOf('abc'); // undefined
 * ```
 */
export function traceIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  const hex = UUID.test(lower) ? lower.replaceAll('-', '') : lower;
  return isTraceId(hex) ? hex : undefined;
}

/**
 * The span id `value` names, lower-cased: 16 hex characters in either case, not all zeros.
 *
 * @example
 * ```ts
 * spanIdOf('EEE19B7EC3C1B174'); // 'eee19b7ec3c1b174'
 * spanIdOf('0000000000000000'); // undefined
 * ```
 */
export function spanIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return isSpanId(lower) ? lower : undefined;
}

/** The first `chars` hex characters of a SHA-256 of the parts; never all zeros (such a prefix becomes …1). */
function digest(chars: number, parts: readonly string[]): string {
  const hash = createHash('sha256');
  // Length-prefixed, so ('ab', 'c') and ('a', 'bc') differ.
  for (const part of parts) hash.update(`${part.length}:${part}`);
  const hex = hash.digest('hex').slice(0, chars);
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

/**
 * The trace a session's events belong to when they name none: its id is the session id's 16
 * bytes when that is a UUID (the Tinker wire's session ids are; dashes dropped, lower-cased),
 * else derived from it by SHA-256. The same session always gives the same trace, on every batch
 * and every retry.
 *
 * @example
 * ```ts
 * sessionTraceId('0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10'); // '0b6f3c9e3f5a4c1e9a530d2f4f1b7a10'
 * sessionTraceId('my-session'); // 32 hex characters, always the same for 'my-session'
 * ```
 */
export function sessionTraceId(sessionId: string): string {
  return traceIdOf(sessionId) ?? digest(32, ['rxtel.session', sessionId]);
}

/**
 * A span id derived from stable parts (an event id, and what the span is of), so that a batch
 * sent again after a retry carries the same ids and a backend that deduplicates by id can.
 *
 * @example
 * ```ts
 * derivedSpanId(event.event_id);             // the span of a typed LLM event
 * derivedSpanId(event.event_id, 'agent');    // another span of the same event
 * ```
 */
export function derivedSpanId(...parts: readonly string[]): string {
  return digest(16, ['rxtel.span', ...parts]);
}
