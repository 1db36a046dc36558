/**
 * Turns whatever a caller passes as `event_data` into plain, bounded JSON (DESIGN §3). Runs on
 * every `log()`, so the common case — a flat object of strings, numbers and booleans — is checked
 * in one loop and returned as it is; everything else is copied by the walker (walker.ts), which
 * cannot throw and stops at a work budget derived from `maxEventBytes` (work-budget.ts).
 */
import { isRecord } from './guards.js';
import { walk, type SanitizeLimits } from './walker.js';
import { byteBudget, overBudget } from './work-budget.js';

export type { SanitizeLimits } from './walker.js';
export { truncate } from './truncate.js';

export interface Sanitized {
  readonly data: Record<string, unknown>;
  /** `true` when the output differs from the input in any way (a repair to count). */
  readonly changed: boolean;
  /**
   * `true` when the data ran out of work budget: `data` is then
   * `{ truncated: true, original_bytes_at_least }` (a repair to count as `coerced.oversized`).
   */
  readonly oversized?: true;
}

/**
 * The fast path: a plain object of at most 64 JSON-safe primitives is copied in one loop (a copy,
 * so the queue keeps a snapshot, not the caller's live object). `undefined` when anything needs
 * the walker — including a getter that throws, which the walker then confines to its own key, and
 * keys and strings longer in all than the walk's byte budget, which the walker then refuses.
 */
function copyFlat(value: object, maxStringLength: number, maxBytes: number): Record<string, unknown> | undefined {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return undefined;
    let keys = 0;
    let bytes = 2;
    for (const key in value) {
      if (++keys > 64) return undefined;
      bytes += key.length + 4;
      const item = (value as Record<string, unknown>)[key];
      const type = typeof item;
      if (type === 'string') {
        if ((item as string).length > maxStringLength) return undefined;
        bytes += (item as string).length;
      } else if (type === 'number') {
        if (!Number.isFinite(item)) return undefined;
      } else if (type !== 'boolean' && item !== null) {
        return undefined;
      }
    }
    if (bytes > maxBytes) return undefined;
    // Checking first and copying with a spread is several times faster than building the copy
    // key by key (V8 clones the shape). A spread defines keys (a `__proto__` key stays a key);
    // symbol keys come along, and JSON ignores them.
    return { ...(value as Record<string, unknown>) };
  } catch {
    return undefined;
  }
}

/**
 * Makes `value` safe to queue and serialise: plain JSON, strings and nesting bounded, cycles cut,
 * and the work bounded: data that would take more than its budget to walk becomes
 * `{ truncated: true, original_bytes_at_least }`. Never throws. A top-level value that is not an
 * object is wrapped as `{ value }`.
 *
 * @example
 * sanitizeEventData({ n: 10n, at: new Date(0) }, { maxStringLength: 8192 })
 * // → { data: { n: '10', at: '1970-01-01T00:00:00.000Z' }, changed: true }
 */
export function sanitizeEventData(value: unknown, limits: SanitizeLimits): Sanitized {
  if (value === undefined || value === null) return { data: {}, changed: false };
  try {
    // Array.isArray throws on a revoked Proxy.
    if (typeof value === 'object' && !Array.isArray(value)) {
      const flat = copyFlat(value, limits.maxStringLength, byteBudget(limits.maxEventBytes));
      if (flat !== undefined) return { data: flat, changed: false };
    }
  } catch {
    // The walker confines whatever threw.
  }
  const walked = walk(value, limits);
  if (walked.atLeastBytes !== undefined) return { data: { ...overBudget(walked.atLeastBytes) }, changed: true, oversized: true };
  const result = walked.value;
  if (isRecord(result)) return { data: result, changed: walked.changed };
  return { data: result === undefined ? {} : { value: result }, changed: true };
}
