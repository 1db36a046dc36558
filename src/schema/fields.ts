import { z } from 'zod';
import { NO_ECHO } from './parse.js';

/**
 * The zod building blocks every options schema shares (the reporter's and each sink's), so that
 * one kind of option is checked, and worded, one way.
 */

/**
 * An integer from `min`, up to `max` when given.
 *
 * @example
 * ```ts
 * integer(1, 10_000).default(100); // refuses 0, 1.5, NaN and '100': "expected an integer from 1 to 10000"
 * ```
 */
export function integer(min: number, max?: number) {
  const range = max === undefined ? `from ${min} and up` : `from ${min} to ${max}`;
  const message = `expected an integer ${range}`;
  const base = z.number({ error: message }).int({ error: message }).min(min, { error: message });
  return max === undefined ? base : base.max(max, { error: message });
}

/** Whether `value` parses as an absolute http: or https: URL. */
export function isHttpUrl(value: string): boolean {
  const url = parseUrl(value);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:');
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** How {@link httpUrl} words its message and treats credentials in the URL. */
export interface HttpUrlOptions {
  /** What the message expects. @defaultValue 'expected an http(s) URL' */
  readonly expected?: string;
  /** Why `user:password@` in the URL is refused; unset, it is allowed. Either way a URL with credentials is never shown. */
  readonly refuseCredentials?: string;
}

/**
 * An absolute http(s) URL, as a string: `127.0.0.1:4319` (no scheme) and `ftp://…` are refused.
 * A URL with credentials (`user:password@`) is never echoed in the message.
 *
 * @example
 * ```ts
 * httpUrl({ expected: 'expected an http(s) URL such as https://cloud.langfuse.com' });
 * httpUrl({ refuseCredentials: 'credentials in the URL are not supported; send them in `headers`' });
 * ```
 */
export function httpUrl(options: HttpUrlOptions = {}) {
  const expected = options.expected ?? 'expected an http(s) URL';
  return z.string({ error: expected }).superRefine((value, ctx) => {
    const url = parseUrl(value);
    if (url === undefined) return ctx.addIssue({ code: 'custom', message: expected, input: value });
    const credentials = url.username !== '' || url.password !== '';
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      // The protocol alone when the URL holds credentials; the whole URL (the likelier help) otherwise.
      return credentials
        ? ctx.addIssue({ code: 'custom', message: `${expected}, got protocol \`${url.protocol}\``, params: NO_ECHO, input: value })
        : ctx.addIssue({ code: 'custom', message: expected, input: value });
    }
    if (credentials && options.refuseCredentials !== undefined) {
      ctx.addIssue({ code: 'custom', message: options.refuseCredentials, params: NO_ECHO, input: value });
    }
  });
}

/** A string with at least one character. */
export function nonEmptyString(message = 'expected a non-empty string') {
  return z.string({ error: message }).min(1, { error: message });
}

/** A boolean, said so when it is not. */
export function boolean() {
  return z.boolean({ error: 'expected a boolean' });
}

/**
 * One of a few strings, listed in the message.
 *
 * @example
 * ```ts
 * oneOf(['none', 'gzip']).default('none'); // "expected 'none' or 'gzip'"
 * ```
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const listed = values.map((v) => `'${v}'`);
  const message = `expected ${listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')} or ${listed.at(-1)}`}`;
  return z.enum(values, { error: message });
}

/** A function of the given type (only `typeof` is checked: zod cannot see a signature). */
export function func<T extends (...args: never[]) => unknown>(message = 'expected a function') {
  return z.custom<T>((value) => typeof value === 'function', { error: message });
}
