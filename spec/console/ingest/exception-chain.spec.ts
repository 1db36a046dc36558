import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseExceptionChain } from '../../../src/console/ingest/exception-chain.js';
import { classifyException } from '../../../src/events/classify-exception.js';

/** The traceback rxtel itself sends for `thrown` (src/events/classify-exception.ts). */
function rxtelTraceback(thrown: unknown): string {
  const classified = classifyException(thrown, { maxStringLength: 8192 });
  if (classified.kind !== 'exception' || classified.traceback === undefined) throw new Error('expected an exception with a traceback');
  return classified.traceback;
}

/**
 * Printed by CPython 3.11.7 `''.join(traceback.format_exception(type(e), e, e.__traceback__))`,
 * which is what the Tinker Python SDK sends as `traceback` (src/tinker/lib/telemetry.py,
 * `_exception_event`) and what OpenTelemetry Python records as `exception.stacktrace`.
 */
const PYTHON = {
  directCause:
    'Traceback (most recent call last):\n  File "/tmp/tb.py", line 7, in direct\n    try: raise ValueError("inner\\nsecond line")\n         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\nValueError: inner\nsecond line\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File "/tmp/tb.py", line 3, in show\n    try: f()\n         ^^^\n  File "/tmp/tb.py", line 8, in direct\n    except ValueError as e: raise RuntimeError("outer") from e\n                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\nRuntimeError: outer\n',
  duringHandling:
    'Traceback (most recent call last):\n  File "/tmp/tb.py", line 10, in during\n    try: {}["k"]\n         ~~^^^^^\nKeyError: \'k\'\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File "/tmp/tb.py", line 3, in show\n    try: f()\n         ^^^\n  File "/tmp/tb.py", line 11, in during\n    except KeyError: raise TypeError("while handling")\n                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\nTypeError: while handling\n',
  colonsInMessage:
    'Traceback (most recent call last):\n  File "/tmp/tb.py", line 3, in show\n    try: f()\n         ^^^\n  File "/tmp/tb.py", line 14, in dotted\n    raise MyErr("a: b")\nMyErr: a: b\n',
  noMessage:
    'Traceback (most recent call last):\n  File "/tmp/tb.py", line 3, in show\n    try: f()\n         ^^^\n  File "/tmp/tb.py", line 16, in noarg\n    raise KeyboardInterrupt\nKeyboardInterrupt\n',
  group:
    '  + Exception Group Traceback (most recent call last):\n  |   File "/tmp/tb.py", line 3, in show\n  |     try: f()\n  |          ^^^\n  |   File "/tmp/tb.py", line 18, in group\n  |     raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])\n  | ExceptionGroup: eg (2 sub-exceptions)\n  +-+---------------- 1 ----------------\n    | ValueError: 1\n    +---------------- 2 ----------------\n    | TypeError: 2\n    +------------------------------------\n',
};

describe('parseExceptionChain: Node, as rxtel writes it', () => {
  it('reads each cause after `Caused by:`, outermost first, with its own frames', () => {
    const inner = new TypeError('inner');
    const text = rxtelTraceback(new Error('outer', { cause: new RangeError('mid', { cause: inner }) }));
    const chain = parseExceptionChain(text, { type: 'Error', message: 'outer' });
    expect(chain.map(({ type, message }) => ({ type, message }))).toEqual([
      { type: 'Error', message: 'outer' },
      { type: 'RangeError', message: 'mid' },
      { type: 'TypeError', message: 'inner' },
    ]);
    for (const part of chain) expect(part.stack).toMatch(/^ {4}at /);
  });

  it("lists an AggregateError's errors after it, as rxtel writes them", () => {
    const text = rxtelTraceback(new AggregateError([new Error('first'), new SyntaxError('second')], 'many failed'));
    expect(parseExceptionChain(text, { type: 'AggregateError', message: 'many failed' }).map((part) => part.type)).toEqual([
      'AggregateError',
      'Error',
      'SyntaxError',
    ]);
  });

  it('keeps a multi-line message whole, and the type the client names for the outermost part', () => {
    class DbError extends Error {}
    const text = rxtelTraceback(new DbError('line one\nline two: with a colon'));
    const [outer] = parseExceptionChain(text, { type: 'DbError', message: 'line one\nline two: with a colon' });
    expect(outer).toMatchObject({ type: 'DbError', message: 'line one\nline two: with a colon' });
    // The stack itself says `Error: …`; the client's own word wins.
    expect(text.startsWith('Error: line one\nline two')).toBe(true);
  });

  it("reads Node's `Error [CODE]: …`, a namespaced type and Java's `Caused by:` sections", () => {
    expect(parseExceptionChain('Error [ERR_HTTP_HEADERS_SENT]: Cannot set headers\n    at f (a.js:1:1)')[0]).toEqual({
      type: 'Error [ERR_HTTP_HEADERS_SENT]',
      message: 'Cannot set headers',
      stack: '    at f (a.js:1:1)',
    });
    expect(parseExceptionChain('app:DbError: down: for good')[0]).toMatchObject({ type: 'app:DbError', message: 'down: for good' });
    const java = 'java.lang.RuntimeException: outer\n\tat a.B.c(B.java:1)\nCaused by: java.io.IOException: inner\n\tat a.B.d(B.java:2)\n\t... 1 more';
    expect(parseExceptionChain(java)).toEqual([
      { type: 'java.lang.RuntimeException', message: 'outer', stack: '\tat a.B.c(B.java:1)' },
      { type: 'java.io.IOException', message: 'inner', stack: '\tat a.B.d(B.java:2)\n\t... 1 more' },
    ]);
  });
});

describe('parseExceptionChain: Python tracebacks (CPython 3.11.7)', () => {
  it('reverses a chain to outermost first ("direct cause"), keeping a multi-line message', () => {
    const chain = parseExceptionChain(PYTHON.directCause, { type: 'RuntimeError', message: 'outer' });
    expect(chain.map(({ type, message }) => ({ type, message }))).toEqual([
      { type: 'RuntimeError', message: 'outer' },
      { type: 'ValueError', message: 'inner\nsecond line' },
    ]);
    expect(chain[0]?.stack).toMatch(/^Traceback \(most recent call last\):\n {2}File "\/tmp\/tb.py", line 3, in show/);
    expect(chain[1]?.stack).toContain('line 7, in direct');
  });

  it('reads "During handling of the above exception" the same way', () => {
    expect(parseExceptionChain(PYTHON.duringHandling).map(({ type, message }) => `${type}: ${message}`)).toEqual([
      'TypeError: while handling',
      "KeyError: 'k'",
    ]);
  });

  it('a message with colons, and an exception without a message', () => {
    expect(parseExceptionChain(PYTHON.colonsInMessage)[0]).toMatchObject({ type: 'MyErr', message: 'a: b' });
    expect(parseExceptionChain(PYTHON.noMessage)[0]).toMatchObject({ type: 'KeyboardInterrupt', message: '' });
  });

  it('an exception group: the group first, holding the drawing, then each member', () => {
    const chain = parseExceptionChain(PYTHON.group);
    expect(chain.map(({ type, message }) => `${type}: ${message}`)).toEqual(['ExceptionGroup: eg (2 sub-exceptions)', 'ValueError: 1', 'TypeError: 2']);
    expect(chain[0]?.stack).toBe(PYTHON.group.trimEnd());
  });

  it('a dotted type, as Python prints classes outside __main__', () => {
    const text = 'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nrequests.exceptions.HTTPError: 404 Client Error: Not Found for url: http://x/y\n';
    expect(parseExceptionChain(text)[0]).toMatchObject({ type: 'requests.exceptions.HTTPError', message: '404 Client Error: Not Found for url: http://x/y' });
  });
});

describe('parseExceptionChain: anything else', () => {
  it('no stack: the one part the client described', () => {
    expect(parseExceptionChain(undefined, { type: 'ValueError', message: '' })).toEqual([{ type: 'ValueError', message: '' }]);
    expect(parseExceptionChain('', {})).toEqual([]);
  });

  it('text that is no stack is kept, whole, as the stack of the one part', () => {
    expect(parseExceptionChain('it broke, sorry', { type: 'Oops', message: 'bad' })).toEqual([{ type: 'Oops', message: 'bad', stack: 'it broke, sorry' }]);
  });

  it('never throws, and always gives type and message strings, whatever the text (fuzzed)', () => {
    const piece = fc.constantFrom(
      'Traceback (most recent call last):\n',
      '  File "x.py", line 1\n',
      '\n\nThe above exception was the direct cause of the following exception:\n\n',
      '\n\nDuring handling of the above exception, another exception occurred:\n\n',
      'Caused by: ',
      '    at f (a.js:1:1)\n',
      '  + Exception Group Traceback (most recent call last):\n',
      '  | ',
      'TypeError: ',
      'a.b:C: ',
      ':',
      '\n',
      '\r\n',
    );
    const text = fc.array(fc.oneof(piece, fc.string(), fc.string({ unit: 'grapheme' })), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.option(fc.string()), fc.option(fc.string()), (stack, type, message) => {
        const chain = parseExceptionChain(stack, { type: type ?? undefined, message: message ?? undefined });
        for (const part of chain) {
          expect(typeof part.type).toBe('string');
          expect(typeof part.message).toBe('string');
        }
        if (stack.trim() !== '') expect(chain.length).toBeGreaterThan(0);
      }),
      { seed: 19, numRuns: 2000 },
    );
  });

  // A regular expression that backtracks over a megabyte runs for minutes: the test's timeout
  // (jest's, not a timing assertion) is what catches it; the parse itself takes milliseconds.
  it('parses hostile megabyte texts (no regular expression backtracks over them)', () => {
    for (const text of ['\n'.repeat(1_000_000) + 'x', ' '.repeat(1_000_000), `${'a'.repeat(1_000_000)}:x`, `${'|'.repeat(500_000)}\n`.repeat(2)]) {
      expect(parseExceptionChain(text, { type: 'T', message: 'm' }).length).toBeGreaterThan(0);
      expect(Array.isArray(parseExceptionChain(`Traceback (most recent call last):\n${text}`))).toBe(true);
    }
  });
});
