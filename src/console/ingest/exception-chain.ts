import type { ExceptionPart } from '../model.js';
import { readHeader } from './exception-header.js';
import { isPythonTraceback, parsePythonTraceback } from './python-traceback.js';

/**
 * An exception's cause chain, outermost first, from the stack text a client sent (a Tinker
 * `traceback`, OTLP `exception.stacktrace`, a Langfuse event's metadata):
 *
 * - Node, as rxtel writes it (src/events/classify-exception.ts): the thrown error's `stack`, then
 *   for each cause, and each error of an `AggregateError`, breadth-first, a `Caused by: ` line
 *   followed by that error's `stack`. Java's `Caused by: …` sections read the same way.
 * - Python, as `traceback.format_exception` prints it (innermost first, reversed here): see
 *   `python-traceback.ts`.
 *
 * A part's `stack` is its frame lines as sent (`    at …`, `\tat …`, `  File …`).
 */

/** A frame line of Node (`    at f (file:1:2)`) or Java (`\tat a.b(C.java:1)`, `\t... 3 more`). */
const FRAME = /^\s+(?:at\s|\.\.\.\s)/;
const CAUSED_BY = 'Caused by: ';

/** What the sender said about the outermost exception besides its stack. */
export interface OuterException {
  readonly type?: string | undefined;
  readonly message?: string | undefined;
}

/** One `Caused by:` section: its header lines, then its frames. */
function section(text: string): ExceptionPart {
  const lines = text.split('\n');
  let start = lines.findIndex((line) => FRAME.test(line));
  if (start === -1) start = lines.length;
  const header = readHeader(lines.slice(0, start).join('\n'));
  const stack = start < lines.length ? lines.slice(start).join('\n') : undefined;
  return { type: header.type ?? 'Error', message: header.message, ...(stack === undefined ? {} : { stack }) };
}

/** Node's or Java's chain: sections split at lines starting with `Caused by: `. */
function parseCausedBy(text: string): ExceptionPart[] {
  return text.split(/\n(?=Caused by: )/).map((part) => section(part.startsWith(CAUSED_BY) ? part.slice(CAUSED_BY.length) : part));
}

/**
 * Parses `stack` into the chain, outermost first. The outermost part's type and message are
 * `outer`'s when given (they are what the client itself said, e.g. a Tinker event's `error_type`,
 * which may name a class where the stack says `Error`). Never throws: text that is no stack at all
 * becomes one part holding it as its `stack`.
 *
 * @example
 * ```ts
 * parseExceptionChain('Error: outer\n    at main (a.js:1:1)\nCaused by: TypeError: inner\n    at f (a.js:2:2)');
 * // [{ type: 'Error', message: 'outer', stack: '    at main (a.js:1:1)' },
 * //  { type: 'TypeError', message: 'inner', stack: '    at f (a.js:2:2)' }]
 * parseExceptionChain(undefined, { type: 'ValueError', message: 'bad' }); // [{ type: 'ValueError', message: 'bad' }]
 * ```
 */
export function parseExceptionChain(stack: string | undefined, outer: OuterException = {}): ExceptionPart[] {
  let parts: ExceptionPart[] = [];
  if (typeof stack === 'string' && stack.trim() !== '') {
    try {
      const text = stack.replace(/\r\n/g, '\n');
      parts = isPythonTraceback(text) ? parsePythonTraceback(text) : parseCausedBy(text);
    } catch {
      parts = [];
    }
    if (parts.length === 0) parts = [{ type: outer.type ?? 'Error', message: outer.message ?? '', stack }];
  }
  const [first, ...rest] = parts;
  const type = outer.type !== undefined && outer.type !== '' ? outer.type : first?.type;
  const message = outer.message ?? first?.message;
  if (first === undefined && type === undefined && message === undefined) return [];
  // A lone part that says something else than the client did (text that is no stack) keeps the text.
  const differs = first !== undefined && rest.length === 0 && (first.type !== type || first.message !== message);
  const headStack = first?.stack ?? (differs ? stack : undefined);
  const head: ExceptionPart = { type: type ?? 'Error', message: message ?? '', ...(headStack === undefined ? {} : { stack: headStack }) };
  return [head, ...rest];
}
