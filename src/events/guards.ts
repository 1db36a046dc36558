/**
 * `true` for a value that is an object but neither `null` nor an array: what `event_data`, a
 * `beforeSend` answer, span attributes and token usage must be. Any prototype passes (a class
 * instance too): the sanitiser, not this check, decides what of it becomes JSON.
 *
 * @example
 * ```ts
 * isRecord({ a: 1 }); // true
 * isRecord([1]);      // false
 * isRecord(null);     // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
