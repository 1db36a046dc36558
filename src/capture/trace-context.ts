/**
 * W3C Trace Context (Recommendation, 23 November 2021, https://www.w3.org/TR/trace-context/):
 * the `traceparent` and `tracestate` HTTP headers, read and written.
 *
 * `traceparent` is `version-traceid-parentid-flags`, all lower-case hex: version 2 characters
 * (`ff` is invalid), trace id 32 and parent id 16 (neither all zeros), flags 2. Version `00` is
 * exactly 55 characters; a later version is read by its first four fields when what follows them
 * starts with `-`. `tracestate` is carried through unchanged when it is well formed (at most 32
 * `key=value` members), bounded to 512 characters the way the spec asks a vendor to truncate:
 * members longer than 128 characters go first, then members from the end.
 */

/** A parsed `traceparent`. */
export interface TraceParent {
  readonly traceId: string;
  readonly parentSpanId: string;
  /** The trace-flags byte; bit 0 is `sampled`. */
  readonly flags: number;
}

const HEX2 = /^[0-9a-f]{2}$/;
const TRACE_ID = /^(?!0{32}$)[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0{16}$)[0-9a-f]{16}$/;
const MAX_STATE_CHARS = 512;
const MAX_STATE_MEMBERS = 32;
const LONG_MEMBER = 128;
// key: lcalpha/digit start, then lcalpha digit _ - * /, optionally tenant@system; value: printable ASCII but , and =, not ending in a space.
const MEMBER = /^[a-z0-9][a-z0-9_\-*/]{0,255}(@[a-z][a-z0-9_\-*/]{0,13})?=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/**
 * The `traceparent` header's fields, or `undefined` when it is absent or malformed (then a
 * receiver starts a new trace, and ignores `tracestate`).
 *
 * @example
 * ```ts
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
 * // { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', flags: 1 }
 * parseTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01'); // undefined
 * ```
 */
export function parseTraceparent(header: string | readonly string[] | undefined | null): TraceParent | undefined {
  // Several traceparent headers make no sense: refuse them.
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  const version = value.slice(0, 2);
  if (!HEX2.test(version) || version === 'ff') return undefined;
  if (version === '00' ? value.length !== 55 : value.length < 55 || (value.length > 55 && value[55] !== '-')) return undefined;
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  const traceId = value.slice(3, 35);
  const parentSpanId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (!TRACE_ID.test(traceId) || !SPAN_ID.test(parentSpanId) || !HEX2.test(flags)) return undefined;
  return { traceId, parentSpanId, flags: Number.parseInt(flags, 16) };
}

/**
 * A version-00 `traceparent` for this span. rxtel records every span it starts, so `sampled` is
 * set unless `flags` says otherwise.
 *
 * @example
 * ```ts
 * formatTraceparent(span.traceId, span.spanId); // '00-<32 hex>-<16 hex>-01'
 * ```
 */
export function formatTraceparent(traceId: string, spanId: string, flags = 1): string {
  return `00-${traceId}-${spanId}-${(flags & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * The `tracestate` to carry on: the header (several are joined with `,`, as HTTP allows), empty
 * members dropped, bounded to 512 characters; `undefined` when absent, empty or malformed (a
 * member that is not `key=value`, more than 32 members).
 *
 * @example
 * ```ts
 * parseTracestate('rojo=00f067aa0ba902b7, congo=t61rcWkgMzE'); // 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'
 * parseTracestate('no-equals-sign'); // undefined
 * ```
 */
export function parseTracestate(header: string | readonly string[] | undefined | null): string | undefined {
  if (header === undefined || header === null) return undefined;
  const joined = typeof header === 'string' ? header : header.join(',');
  const members = joined.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (members.length === 0 || members.length > MAX_STATE_MEMBERS || !members.every((m) => MEMBER.test(m))) return undefined;
  let kept = members;
  const size = (list: readonly string[]) => list.reduce((n, m) => n + m.length, 0) + Math.max(0, list.length - 1);
  if (size(kept) > MAX_STATE_CHARS) kept = kept.filter((m) => m.length <= LONG_MEMBER);
  while (kept.length > 0 && size(kept) > MAX_STATE_CHARS) kept = kept.slice(0, -1);
  return kept.length === 0 ? undefined : kept.join(',');
}
