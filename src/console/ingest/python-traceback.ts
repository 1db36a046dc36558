import type { ExceptionPart } from '../model.js';
import { readHeader } from './exception-header.js';

/**
 * Python tracebacks as `traceback.format_exception` prints them (CPython 3.8–3.13, `Lib/traceback.py`):
 * each exception as `Traceback (most recent call last):`, indented frame lines, then `Type: message`;
 * a chain printed innermost first, joined by one of two sentences; an exception group (3.11+) drawn
 * with `+-`/`|` margins.
 */

/** The two sentences CPython prints between the exceptions of a chain (`__cause__`, `__context__`). */
const CHAIN_SEPARATOR =
  /\n\n(?:The above exception was the direct cause of the following exception:|During handling of the above exception, another exception occurred:)\n\n/;
const HEADER = /^ *(?:\+ )?(?:Exception Group )?Traceback \(most recent call last\):/m;
const GROUP = /^\s*\+ Exception Group Traceback \(most recent call last\):/;
// A line inside a group's margin: `  | text`, `    | text` (the text after `| `).
const MARGIN = /^\s*\| ?(.*)$/;

/**
 * Whether `text` looks like a Python traceback.
 *
 * @example
 * ```ts
 * isPythonTraceback('Traceback (most recent call last):\n  File "a.py", line 1\nValueError: x'); // true
 * ```
 */
export function isPythonTraceback(text: string): boolean {
  return HEADER.test(text) || CHAIN_SEPARATOR.test(text);
}

/** One exception of a chain: its frames (with the header line) as the stack, then its `Type: message`. */
function block(text: string): ExceptionPart[] {
  if (GROUP.test(text)) return group(text);
  const lines = text.split('\n');
  let start = 0;
  if (lines[0]?.startsWith('Traceback (most recent call last):') === true) {
    start = 1;
    // Frame lines are indented (`  File …`, source lines, `    ^^^^` markers).
    while (start < lines.length && /^\s/.test(lines[start] as string)) start += 1;
  }
  const stack = start === 0 ? undefined : lines.slice(0, start).join('\n');
  const header = readHeader(lines.slice(start).join('\n'));
  return [{ type: header.type ?? 'Exception', message: header.message, ...(stack === undefined ? {} : { stack }) }];
}

/** An exception group: the group first (the whole drawing as its stack), then each member in order. */
function group(text: string): ExceptionPart[] {
  const parts: { type: string; message: string; stack?: string }[] = [];
  for (const line of text.split('\n')) {
    const inner = MARGIN.exec(line)?.[1];
    if (inner === undefined || inner === '' || /^\s/.test(inner) || inner.startsWith('Traceback (')) continue;
    const header = readHeader(inner);
    const last = parts[parts.length - 1];
    if (header.type !== undefined) parts.push({ type: header.type, message: header.message });
    else if (last !== undefined) last.message = `${last.message}\n${inner}`;
  }
  const [outer, ...members] = parts;
  if (outer === undefined) return [{ type: 'ExceptionGroup', message: '', stack: text }];
  return [{ ...outer, stack: text }, ...members];
}

/**
 * The chain of a Python traceback, outermost first (Python prints it innermost first). Never throws;
 * a block without `Type: message` gets type `Exception` and its text as the message.
 *
 * @example
 * ```ts
 * parsePythonTraceback('Traceback (most recent call last):\n  File "a.py", line 2, in f\nValueError: inner\n\n' +
 *   'The above exception was the direct cause of the following exception:\n\n' +
 *   'Traceback (most recent call last):\n  File "a.py", line 4, in <module>\nRuntimeError: outer\n');
 * // [{ type: 'RuntimeError', message: 'outer', stack: 'Traceback …' }, { type: 'ValueError', message: 'inner', stack: 'Traceback …' }]
 * ```
 */
export function parsePythonTraceback(text: string): ExceptionPart[] {
  const unix = text.replace(/\r\n/g, '\n');
  let end = unix.length;
  while (end > 0 && unix.charCodeAt(end - 1) === 10) end -= 1;
  const blocks = unix.slice(0, end).split(CHAIN_SEPARATOR);
  const parts: ExceptionPart[] = [];
  for (let i = blocks.length - 1; i >= 0; i--) {
    const text = blocks[i] as string;
    if (text.trim() !== '') parts.push(...block(text));
  }
  return parts;
}
