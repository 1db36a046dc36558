import { z } from 'zod';

/**
 * The fields typed LLM events share whose input is looser than what the wire carries: times
 * (a `Date`, epoch milliseconds or an ISO-8601 string in, an ISO-8601 string out) and token usage
 * (snake_case or camelCase keys in, snake_case out).
 */

/** Latest and earliest epoch milliseconds a `Date` can hold (ECMA-262 §21.4.1.1, ±8.64e15). */
const MAX_EPOCH_MS = 8.64e15;
const isoDateTime = z.iso.datetime({ offset: true });
const isoUtc = z.iso.datetime();

/** A time a caller may give: a valid `Date`, epoch milliseconds, or an ISO-8601 date-time with `Z` or an offset. */
export type EventTimeInput = Date | number | string;

function isEventTime(value: unknown): value is EventTimeInput {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS;
  return typeof value === 'string' && isoDateTime.safeParse(value).success;
}

/**
 * The wire form of a time: an ISO string in UTC with `Z` is kept as given (its precision, even
 * microseconds, intact); a `Date`, epoch milliseconds and a string with an offset become
 * `Date.prototype.toISOString()` (UTC, milliseconds, `Z`).
 *
 * @example
 * ```ts
 * toWireTime(0);                            // '1970-01-01T00:00:00.000Z'
 * toWireTime('2026-01-01T01:00:00+01:00');  // '2026-01-01T00:00:00.000Z'
 * toWireTime('2026-01-01T00:00:00.000001Z'); // kept as it is
 * ```
 */
export function toWireTime(value: EventTimeInput): string {
  if (typeof value === 'string') return isoUtc.safeParse(value).success ? value : new Date(value).toISOString();
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** A time field: accepts {@link EventTimeInput}, sends {@link toWireTime}'s string. */
export const EventTime = z
  .custom<EventTimeInput>(isEventTime, {
    error: 'expected a Date, epoch milliseconds or an ISO-8601 date-time string with Z or an offset',
  })
  .transform(toWireTime);

const count = z.number().int().nonnegative();

const SnakeUsage = z.strictObject({
  input_tokens: count,
  output_tokens: count,
  total_tokens: count.optional(),
});

/**
 * The camelCase spelling (as the Vercel AI SDK's `LanguageModelUsage` and Amazon Bedrock's
 * `TokenUsage` name the counts), sent in the wire's snake_case.
 */
const CamelUsage = z
  .strictObject({
    inputTokens: count,
    outputTokens: count,
    totalTokens: count.optional(),
  })
  .transform(({ inputTokens, outputTokens, totalTokens }) => ({
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    ...(totalTokens === undefined ? {} : { total_tokens: totalTokens }),
  }));

/**
 * Token counts of a model call: `{ input_tokens, output_tokens, total_tokens? }` (the wire's and the
 * OpenTelemetry GenAI conventions' spelling) or `{ inputTokens, outputTokens, totalTokens? }`, sent
 * as the former. One spelling per object: a mix, or any other key, is refused.
 */
export const TokenUsage = z.union([SnakeUsage, CamelUsage]);
/** What a caller may give as token usage (either spelling). */
export type TokenUsage = z.input<typeof TokenUsage>;
