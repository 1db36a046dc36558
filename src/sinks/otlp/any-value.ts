/**
 * OTLP `AnyValue` and `KeyValue` in the OTLP/HTTP JSON mapping (proto3 JSON): lowerCamelCase
 * fields, 64-bit integers as decimal strings, one field set per value, `{}` for an empty value.
 */

/** One OTLP value: exactly one field set, or none (`{}`) for an empty value (`null`). */
export type AnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number | 'NaN' | 'Infinity' | '-Infinity' }
  | { readonly arrayValue: { readonly values: readonly AnyValue[] } }
  | { readonly kvlistValue: { readonly values: readonly KeyValue[] } }
  | Record<string, never>;

/** One attribute. */
export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

/** Nesting deeper than this is a cycle or a bug: events are plain JSON, built by the pipeline. */
export const MAX_DEPTH = 64;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A value nested deeper than {@link MAX_DEPTH}: the batch cannot be encoded. */
export class TooDeepError extends Error {
  constructor() {
    super(`value nested deeper than ${MAX_DEPTH} levels`);
    this.name = 'TooDeepError';
  }
}

/**
 * Encodes a JSON-like value as an OTLP `AnyValue`: strings → `stringValue`, integers within int64 →
 * `intValue` (a decimal string), other numbers → `doubleValue`, booleans → `boolValue`, arrays →
 * `arrayValue`, plain objects → `kvlistValue`, `null`/`undefined` and anything else → `{}`.
 *
 * @example
 * ```ts
 * toAnyValue({ n: 3, xs: [1.5, null] });
 * // { kvlistValue: { values: [{ key: 'n', value: { intValue: '3' } },
 * //   { key: 'xs', value: { arrayValue: { values: [{ doubleValue: 1.5 }, {}] } } }] } }
 * ```
 */
export function toAnyValue(value: unknown, depth = 0): AnyValue {
  if (depth > MAX_DEPTH) throw new TooDeepError();
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      return numberValue(value);
    case 'bigint':
      return value >= INT64_MIN && value <= INT64_MAX ? { intValue: value.toString() } : { stringValue: value.toString() };
    case 'object':
      if (value === null) return {};
      if (Array.isArray(value)) return { arrayValue: { values: value.map((item: unknown) => toAnyValue(item, depth + 1)) } };
      return { kvlistValue: { values: toKeyValues(value as Record<string, unknown>, depth + 1) } };
    default:
      return {};
  }
}

/** Every own enumerable entry of `record` as a {@link KeyValue}, in insertion order. */
export function toKeyValues(record: Readonly<Record<string, unknown>>, depth = 0): KeyValue[] {
  return Object.keys(record).map((key) => ({ key, value: toAnyValue(record[key], depth) }));
}

/** One attribute; shorthand for the encoders. */
export function keyValue(key: string, value: unknown): KeyValue {
  return { key, value: toAnyValue(value) };
}

function numberValue(value: number): AnyValue {
  if (Number.isInteger(value)) {
    const big = BigInt(value);
    // Integers beyond int64 (1e20) stay doubles: an intValue must fit the protobuf int64.
    if (big >= INT64_MIN && big <= INT64_MAX) return { intValue: big.toString() };
    return { doubleValue: value };
  }
  // proto3 JSON spells the non-finite doubles as strings (JSON itself has no NaN).
  if (Number.isNaN(value)) return { doubleValue: 'NaN' };
  if (value === Infinity) return { doubleValue: 'Infinity' };
  if (value === -Infinity) return { doubleValue: '-Infinity' };
  return { doubleValue: value };
}
