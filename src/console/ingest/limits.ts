/**
 * The console keeps what a sender wrote as it wrote it (no escaping: the UI renders text as text),
 * but it does not keep pathological sizes: a string over {@link MAX_STRING_BYTES} is cut, with a
 * marker that says so, and a value nested deeper than {@link MAX_DEPTH} is replaced by a marker
 * (JSON.stringify, and so the store, would throw on it). Counts are never capped.
 */

/** Longest string kept whole, in UTF-8 bytes (1 MB). */
export const MAX_STRING_BYTES = 1_000_000;

/** Deepest nesting kept in `data` (objects and arrays). */
export const MAX_DEPTH = 100;

/** What replaces a value nested deeper than {@link MAX_DEPTH}. */
export const TOO_DEEP = `[cut: nested deeper than ${MAX_DEPTH} levels]`;

const encoder = new TextEncoder();

/**
 * `text` as it is when it fits {@link MAX_STRING_BYTES} (UTF-8), else its first bytes (never half a
 * character) followed by `… [cut: N more bytes]`.
 *
 * @example
 * ```ts
 * capText('short');                  // 'short'
 * capText('x'.repeat(2_000_000));   // 'xxx…x… [cut: 1000000 more bytes]' (1 MB of x first)
 * ```
 */
export function capText(text: string): string {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: a short string cannot be too long.
  if (text.length * 3 <= MAX_STRING_BYTES) return text;
  const total = Buffer.byteLength(text, 'utf8');
  if (total <= MAX_STRING_BYTES) return text;
  const { read, written } = encoder.encodeInto(text, new Uint8Array(MAX_STRING_BYTES));
  return `${text.slice(0, read)}… [cut: ${total - written} more bytes]`;
}

/** An own, enumerable property named `key`, whatever the key (`__proto__` too). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * `value` as plain JSON within the limits: strings capped ({@link capText}), numbers that JSON
 * cannot hold (NaN, ±Infinity) and BigInts as strings, `undefined`/functions/symbols dropped from
 * objects (`null` in arrays), nesting beyond {@link MAX_DEPTH} replaced by {@link TOO_DEEP}. Returns
 * the very same object when nothing had to change, so the common case copies nothing.
 *
 * @example
 * ```ts
 * capValue({ a: 'x'.repeat(2e6), n: NaN }); // { a: '…[cut: …]', n: 'NaN' }
 * const data = { a: 1 }; capValue(data) === data; // true
 * ```
 */
export function capValue(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
      return capText(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return null;
      if (depth >= MAX_DEPTH) return TOO_DEEP;
      return Array.isArray(value) ? capArray(value, depth) : capObject(value as Record<string, unknown>, depth);
    default:
      return undefined;
  }
}

function capArray(items: readonly unknown[], depth: number): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const capped = capValue(item, depth + 1) ?? null;
    if (capped !== item && copy === undefined) copy = items.slice(0, i);
    copy?.push(capped);
  }
  return copy ?? (items as unknown[]);
}

function capObject(record: Record<string, unknown>, depth: number): Record<string, unknown> {
  const keys = Object.keys(record);
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = record[key];
    const capped = capValue(item, depth + 1);
    if ((capped !== item || capText(key) !== key) && copy === undefined) {
      copy = {};
      for (const earlier of keys.slice(0, i)) define(copy, earlier, record[earlier]);
    }
    if (copy !== undefined && capped !== undefined) define(copy, capText(key), capped);
  }
  return copy ?? record;
}

/**
 * A record of `data` within the limits ({@link capValue}); anything that is not an object becomes
 * `{ value }`.
 *
 * @example
 * ```ts
 * capData({ button: 'submit' }); // the same object
 * capData('text');               // { value: 'text' }
 * ```
 */
export function capData(data: unknown): Record<string, unknown> {
  const capped = capValue(data);
  if (typeof capped === 'object' && capped !== null && !Array.isArray(capped)) return capped as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  if (capped !== undefined) record['value'] = capped;
  return record;
}
