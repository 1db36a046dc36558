/**
 * What to report for anything thrown. An HTTP 4xx (other than 408 and 429) anywhere in the cause
 * chain is the caller's mistake, reported as a `user_error`; everything else is an exception with
 * its stack and causes. Never throws, whatever it is given.
 */
import { sanitizeEventData } from './sanitize.js';
import { boundedString, truncate } from './truncate.js';

export type ClassifiedException =
  | { readonly kind: 'exception'; readonly error_type: string; readonly error_message: string; readonly traceback?: string }
  | {
      readonly kind: 'user_error';
      readonly data: { error_type: string; message: string; status_code: number; body?: unknown };
    };

/** Nodes of a cause graph visited at most: enough for any real chain, bounded for hostile ones. */
const MAX_NODES = 32;

/** Reads a property; a throwing getter or Proxy trap reads as `undefined`. */
function read(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function asStatus(value: unknown): number | undefined {
  const status = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

function statusOf(node: unknown): number | undefined {
  return asStatus(read(node, 'status')) ?? asStatus(read(node, 'statusCode')) ?? asStatus(read(read(node, 'response'), 'status'));
}

const isUserStatus = (status: number): boolean => status >= 400 && status < 500 && status !== 408 && status !== 429;

/** The thrown value, its causes and an AggregateError's errors, breadth-first, each once. */
function* causeGraph(thrown: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [thrown];
  while (queue.length > 0 && seen.size < MAX_NODES) {
    const node = queue.shift();
    if (node === undefined || node === null || seen.has(node)) continue;
    seen.add(node);
    yield node;
    queue.push(read(node, 'cause'));
    const errors = read(node, 'errors');
    if (Array.isArray(errors)) queue.push(...errors.slice(0, MAX_NODES));
  }
}

/** The first node of the cause graph that carries a user-error status (4xx except 408, 429). */
export function findUserError(thrown: unknown): { error: unknown; status: number } | undefined {
  try {
    for (const node of causeGraph(thrown)) {
      const status = statusOf(node);
      if (status !== undefined && isUserStatus(status)) return { error: node, status };
    }
  } catch {
    // A hostile graph is simply not a user error.
  }
  return undefined;
}

function constructorName(value: unknown): string | undefined {
  try {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** `TypeError`, or the class of `class DbError extends Error {}` whose name is still `Error`; cut to `max` (a name is whatever a getter returns). */
function typeName(value: unknown, max: number): string {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value === 'string' ? 'string' : typeof value;
  const name = read(value, 'name');
  const ctor = constructorName(value);
  if (typeof name === 'string' && name !== '' && !(name === 'Error' && ctor !== undefined && ctor !== 'Error')) return truncate(name, max);
  return ctor === undefined || ctor === 'Object' ? 'object' : truncate(ctor, max);
}

function messageOf(value: unknown, maxStringLength: number): string {
  if (typeof value === 'string') return truncate(value, maxStringLength);
  // A thrown function's source or a huge BigInt: bounded like any string.
  if (typeof value !== 'object' || value === null) return boundedString(value, maxStringLength);
  const message = read(value, 'message');
  if (typeof message === 'string') return truncate(message, maxStringLength);
  try {
    return truncate(JSON.stringify(sanitizeEventData(value, { maxStringLength, maxDepth: 3 }).data), maxStringLength);
  } catch {
    return '[Unserializable]';
  }
}

/** One node of the traceback, at most `max` characters: a `stack` getter may return anything. */
function describeNode(node: unknown, maxStringLength: number, max: number): string {
  const stack = read(node, 'stack');
  if (typeof stack === 'string' && stack !== '') return truncate(stack, max);
  return truncate(`${typeName(node, maxStringLength)}: ${messageOf(node, maxStringLength)}`, max);
}

function tracebackOf(thrown: unknown, maxStringLength: number): string | undefined {
  // The whole traceback may hold a few stacks; it is bounded like one long string, and so is
  // every part before the parts are joined (32 stacks of 100 MB must not be copied to be cut).
  const limit = maxStringLength * 4;
  const parts: string[] = [];
  let length = 0;
  for (const node of causeGraph(thrown)) {
    const part = parts.length === 0 ? describeNode(node, maxStringLength, limit) : `Caused by: ${describeNode(node, maxStringLength, limit)}`;
    parts.push(part);
    length += part.length + 1;
    if (length > limit) break;
  }
  const hasStack = typeof read(thrown, 'stack') === 'string';
  if (!hasStack && parts.length <= 1) return undefined;
  return truncate(parts.join('\n'), limit);
}

function bodyOf(node: unknown, maxStringLength: number): unknown {
  for (const key of ['body', 'responseBody', 'data']) {
    const body = read(node, key);
    if (body === undefined) continue;
    if (typeof body === 'object' && body !== null) return sanitizeEventData(body, { maxStringLength, maxDepth: 5 }).data;
    return boundedString(body, maxStringLength);
  }
  return undefined;
}

/**
 * Classifies anything thrown for the Tinker wire. Request headers, options and response objects
 * are never copied: on ky's `HTTPError` they carry the API key.
 *
 * @example
 * classifyException(Object.assign(new Error('Not Found'), { status: 404 }), { maxStringLength: 8192 })
 * // → { kind: 'user_error', data: { error_type: 'Error', message: 'Not Found', status_code: 404 } }
 */
export function classifyException(thrown: unknown, limits: { maxStringLength: number }): ClassifiedException {
  const { maxStringLength } = limits;
  try {
    const user = findUserError(thrown);
    if (user !== undefined) {
      const data: { error_type: string; message: string; status_code: number; body?: unknown } = {
        error_type: typeName(user.error, maxStringLength),
        message: messageOf(user.error, maxStringLength),
        status_code: user.status,
      };
      const body = bodyOf(user.error, maxStringLength);
      if (body !== undefined) data.body = body;
      return { kind: 'user_error', data };
    }
    const traceback = tracebackOf(thrown, maxStringLength);
    return {
      kind: 'exception',
      error_type: typeName(thrown, maxStringLength),
      error_message: messageOf(thrown, maxStringLength),
      ...(traceback === undefined ? {} : { traceback }),
    };
  } catch {
    return { kind: 'exception', error_type: 'unknown', error_message: '[Unserializable]' };
  }
}
