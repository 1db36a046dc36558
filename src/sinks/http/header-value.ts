import { z } from 'zod';
import { ConfigError } from '../../errors/config-error.js';
import { NO_ECHO } from '../../schema/parse.js';

/**
 * Checking, where the user passes them, the strings that rxtel sends as HTTP header values (API
 * keys, tokens, custom headers), so that a bad one is a {@link ConfigError} naming the option at
 * construction rather than a `TypeError` from `Headers` that quotes the value, or a failed
 * request later.
 */

// RFC 9110 token: what a header name may hold.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// HTTP whitespace, as the Fetch standard strips it from both ends of a value before checking it.
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
// A value goes out through `node:http` (the default transport), which refuses every control
// character but tab, and DEL; or through the user's ky, whose `Headers` (Fetch) refuse NUL, CR, LF
// and any char beyond U+00FF. This is the stricter of the two, so nothing that passes here fails
// at request time.
const INVALID_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/** How {@link headerValue} names where a value came from, and whether it may be empty. */
export interface HeaderValueOptions {
  /** How the message names the value's origin. @defaultValue ``option `<option>` `` */
  readonly source?: string;
  /** `true` lets an empty (or blank) value through, as `''`. @defaultValue false */
  readonly allowEmpty?: boolean;
}

/** Whether `name` may be an HTTP header name (an RFC 9110 token). */
export function isHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

function describeChar(code: number): string {
  if (code === 0x0a) return 'a line feed (LF)';
  if (code === 0x0d) return 'a carriage return (CR)';
  if (code === 0x00) return 'a NUL character';
  if (code > 0xff) return 'a character beyond U+00FF';
  // A control character or DEL: its code says what it is and cannot give a secret away.
  return `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

type Checked = { readonly value: string } | { readonly problem: string };

/** `raw` as a header value, or what is wrong with it (never the value itself: it is often a secret). */
function checkHeaderValue(raw: unknown, allowEmpty: boolean): Checked {
  if (typeof raw !== 'string') return { problem: `expected a string (an HTTP header value), got ${raw === null ? 'null' : typeof raw}` };
  const value = raw.replace(EDGE_WHITESPACE, '');
  if (value === '') {
    if (allowEmpty) return { value };
    return { problem: `expected a non-empty string, got ${raw === '' ? 'an empty string' : 'only whitespace'}` };
  }
  const at = value.search(INVALID_CHAR);
  if (at === -1) return { value };
  // The index is into what the user passed, leading whitespace included, so they can find it.
  const index = raw.indexOf(value) + at;
  return {
    problem:
      `expected a valid HTTP header value (tab, printable ASCII and U+0080–U+00FF only), ` +
      `got a value with ${describeChar(value.charCodeAt(at))} at index ${index} (the value is not shown: it may be a secret)`,
  };
}

/**
 * `raw` as it is sent as a header value: HTTP whitespace (space, tab, CR, LF) trimmed from both
 * ends, as `fetch` would. Throws a {@link ConfigError} naming `option` when `raw` is not a string,
 * is blank (unless `allowEmpty`), or holds a character a header value cannot carry: CR or LF
 * inside it, NUL, another control character, DEL, or anything beyond U+00FF. The message says
 * which kind of character and where, never the value: it is often a secret.
 *
 * Options schemas use {@link headerValueField} instead, which reports the same problems as issues.
 *
 * @example
 * ```ts
 * const apiKey = headerValue('apiKey', options.apiKey);                       // 'tml-…'
 * headerValue('apiKey', 'tml-…\n', { source: 'env RXTEL_API_KEY' });          // 'tml-…' (trimmed)
 * headerValue('apiKey', 'tml-\u2603');  // ConfigError: … got a value with a character beyond U+00FF at index 4 …
 * ```
 */
export function headerValue(option: string, raw: unknown, options: HeaderValueOptions = {}): string {
  const checked = checkHeaderValue(raw, options.allowEmpty === true);
  if ('value' in checked) return checked.value;
  throw new ConfigError(option, `Invalid ${options.source ?? `option \`${option}\``}: ${checked.problem}`);
}

/**
 * Inside a zod transform: `raw` as a header value (trimmed), or an issue saying what is wrong
 * with it, without the value, and `z.NEVER`.
 */
export function headerValueIn(ctx: z.core.$RefinementCtx, raw: string, allowEmpty = false): string {
  const checked = checkHeaderValue(raw, allowEmpty);
  if ('value' in checked) return checked.value;
  ctx.addIssue({ code: 'custom', message: checked.problem, params: NO_ECHO, input: raw });
  return z.NEVER;
}

/**
 * A schema field for a string sent as an HTTP header value: trimmed, held to the rule of
 * {@link headerValue}; a problem is an issue that never shows the value.
 *
 * @example
 * ```ts
 * z.strictObject({ apiKey: headerValueField(), userId: headerValueField({ allowEmpty: true }).optional() });
 * ```
 */
export function headerValueField(options: Pick<HeaderValueOptions, 'allowEmpty'> = {}) {
  return z.string({ error: 'expected a string (an HTTP header value)' }).transform((raw, ctx) => headerValueIn(ctx, raw, options.allowEmpty === true));
}

/** A schema for a header name (an RFC 9110 token), as a record key. */
export function headerNameField(message = 'not a header name (letters, digits and !#$%&\'*+-.^_`|~ only)') {
  return z.string().refine(isHeaderName, { error: message });
}
