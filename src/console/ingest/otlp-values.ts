import { MAX_DEPTH, TOO_DEEP } from './limits.js';

/**
 * Reading OTLP/HTTP JSON as it arrives (opentelemetry-proto v1.11.0 `docs/specification.md`, "JSON
 * Protobuf Encoding"): the proto3 JSON mapping with lowerCamelCase keys, 64-bit integers as decimal
 * strings or numbers, enums as integers, trace and span ids as case-insensitive hex. The
 * specification makes lowerCamelCase the only valid key form for senders; the console also takes
 * the fields' original snake_case names, as the proto3 JSON mapping's parsers and the Collector's
 * own decoder (pdata) do. Unknown fields are ignored, as the specification requires.
 */

/** An object read from JSON (not `null`, not an array). */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Whether `value` is a JSON object.
 *
 * @example
 * ```ts
 * isObject({}); // true
 * isObject([]); // false
 * ```
 */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const snakeCache = new Map<string, string>();
const snake = (camel: string): string => {
  let name = snakeCache.get(camel);
  if (name === undefined) {
    name = camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    snakeCache.set(camel, name);
  }
  return name;
};

/**
 * A field by its lowerCamelCase name, else by its original snake_case name.
 *
 * @example
 * ```ts
 * field({ time_unix_nano: '1' }, 'timeUnixNano'); // '1'
 * ```
 */
export function field(object: unknown, camel: string): unknown {
  if (!isObject(object)) return undefined;
  const value = Object.hasOwn(object, camel) ? object[camel] : undefined;
  if (value !== undefined && value !== null) return value;
  const original = snake(camel);
  return original !== camel && Object.hasOwn(object, original) ? (object[original] ?? undefined) : undefined;
}

/**
 * A repeated field: its items, `[]` when absent (the proto3 default), `undefined` when it is not an array.
 *
 * @example
 * ```ts
 * repeated({ spans: [1] }, 'spans'); // [1]
 * repeated({}, 'spans');             // []
 * repeated({ spans: 3 }, 'spans');   // undefined
 * ```
 */
export function repeated(object: unknown, camel: string): readonly unknown[] | undefined {
  const value = field(object, camel);
  if (value === undefined) return [];
  return Array.isArray(value) ? value : undefined;
}

/**
 * A JS value of an OTLP `AnyValue`: `stringValue` → string, `boolValue` → boolean, `intValue` →
 * number (a decimal string beyond 2^53, to keep its digits), `doubleValue` → number (`"NaN"`,
 * `"Infinity"` kept as text), `arrayValue` → array, `kvlistValue` → object, `bytesValue` → its
 * base64 text; the empty value `{}` → `null`; anything else → `undefined`.
 *
 * @example
 * ```ts
 * anyValue({ kvlistValue: { values: [{ key: 'n', value: { intValue: '3' } }] } }); // { n: 3 }
 * ```
 */
export function anyValue(value: unknown, depth = 0): unknown {
  if (!isObject(value)) return undefined;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  const text = field(value, 'stringValue');
  if (typeof text === 'string') return text;
  const bool = field(value, 'boolValue');
  if (typeof bool === 'boolean') return bool;
  const int = field(value, 'intValue');
  if (int !== undefined) return intOf(int);
  const double = field(value, 'doubleValue');
  if (typeof double === 'number' || typeof double === 'string') return typeof double === 'string' && /^-?\d/.test(double) ? Number(double) : double;
  const array = field(value, 'arrayValue');
  if (array !== undefined) return (repeated(array, 'values') ?? []).map((item) => anyValue(item, depth + 1) ?? null);
  const kvlist = field(value, 'kvlistValue');
  if (kvlist !== undefined) return attributesOf(repeated(kvlist, 'values') ?? [], depth + 1);
  const bytes = field(value, 'bytesValue');
  if (typeof bytes === 'string') return bytes;
  return Object.keys(value).length === 0 ? null : undefined;
}

function intOf(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || !/^-?\d{1,20}$/.test(value)) return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

/**
 * A `KeyValue` list as a plain object, in order; a key given twice keeps its first value (keys
 * must be unique: opentelemetry-specification, "Attribute"); an entry without a string key is skipped.
 *
 * @example
 * ```ts
 * attributesOf([{ key: 'a', value: { stringValue: 'x' } }, { key: 'a', value: { stringValue: 'y' } }]); // { a: 'x' }
 * ```
 */
export function attributesOf(list: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    const key = field(item, 'key');
    if (typeof key !== 'string' || Object.hasOwn(out, key)) continue;
    const value = anyValue(field(item, 'value'), depth);
    Object.defineProperty(out, key, { value: value === undefined ? null : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A trace id (`bytes` 16) or span id (`bytes` 8) as lower-case hex: OTLP/JSON's hex in either case,
 * or the standard proto3 JSON's base64 that some senders write; `undefined` when it is neither,
 * empty or all zeros (an invalid id).
 *
 * @example
 * ```ts
 * hexId('5B8EFFF798038103D269B633813FC60C', 16); // '5b8efff798038103d269b633813fc60c'
 * hexId('W47/95gDgQPSabYzgT/GDA==', 16);         // '5b8efff798038103d269b633813fc60c'
 * hexId('', 8);                                  // undefined
 * ```
 */
export function hexId(value: unknown, bytes: 8 | 16): string | undefined {
  if (typeof value !== 'string') return undefined;
  let hex: string | undefined;
  if (value.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(value)) hex = value.toLowerCase();
  else if (value.length === Math.ceil(bytes / 3) * 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === bytes) hex = decoded.toString('hex');
  }
  return hex === undefined || /^0+$/.test(hex) ? undefined : hex;
}

/**
 * A non-empty string, else `undefined`.
 *
 * @example
 * ```ts
 * text('x'); // 'x'
 * text('');  // undefined
 * ```
 */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
