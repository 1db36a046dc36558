/**
 * Cutting strings to a length, so that what is kept costs only what is kept. V8 represents a
 * `slice` of a long string as a view into it (a sliced string), and a concatenation as a pair of
 * pointers: either way the original stays alive as long as the cut string does. A queued event
 * holding 8 KiB cut from a 1 MiB string would hold the whole MiB, and `maxQueueBytes` (which
 * counts the 8 KiB) would bound nothing.
 */

/**
 * A copy of `text` that shares no memory with any other string. UTF-16LE holds every code unit as
 * it is, lone surrogates included, so the round trip is exact; it costs one copy of the kept part,
 * and is used only where a string was cut (never on the hot path).
 */
export function detachedCopy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/**
 * Cuts `text` to `max` characters with a visible marker saying how much was removed. The result
 * is a fresh string: it never keeps `text` alive.
 *
 * @example
 * truncate('abcdef', 3) // → 'abc…[truncated 3 chars]'
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return detachedCopy(`${text.slice(0, max)}…[truncated ${text.length - max} chars]`);
}

/** `String(value)` for a value that may be huge or hostile (a 10-million-bit BigInt, a function's source), cut to `max`. */
export function boundedString(value: unknown, max: number): string {
  if (typeof value === 'bigint') return bigintString(value, max);
  return truncate(String(value), max);
}

/** Beyond this, a BigInt's decimal form is not worth its cost (quadratic in V8 for huge values): its size is shown instead. */
const BIGINT_DIGITS_BOUND = 1n << 4096n;

/** A BigInt in decimal, or `[BigInt over 4096 bits]`: the comparison is cheap, the decimal form of a 10-million-bit value is not. */
export function bigintString(value: bigint, max: number): string {
  return value < BIGINT_DIGITS_BOUND && value > -BIGINT_DIGITS_BOUND ? truncate(value.toString(), max) : '[BigInt over 4096 bits]';
}
