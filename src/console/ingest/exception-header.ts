/**
 * The first line of an exception as runtimes print it, `Type: message`: Node's `TypeError: boom`
 * and `Error [ERR_X]: boom`, Python's `ValueError: boom` and `requests.exceptions.HTTPError: 404`,
 * Java's `java.lang.IllegalStateException: boom`. Shared by the Node and Python chain parsers.
 */

/** Longest type name believed; a longer "type" is a sentence, not a class. */
const MAX_TYPE = 200;

// A type is one token (dots and colons inside it allowed: `a.b.C`, `ns:Err`), optionally Node's
// ` [ERR_CODE]`, then `:` and a space or the end. Lazy, so `ns:Err: msg` reads `ns:Err`.
const TYPED = /^(\S+?(?: \[[^\]\n]{0,100}\])?):(?:[ \t]|$)/;
// A bare type (Python's `KeyboardInterrupt`, Node's `Error` with an empty message).
const BARE = /^[A-Za-z_$][\w$.:<>-]*$/;

/** What a header says: the type (when it names one) and the message. */
export interface ExceptionHeader {
  readonly type: string | undefined;
  readonly message: string;
}

/**
 * Reads `Type: message` from the start of `text`; the message runs to the end of `text` (a message
 * may have many lines). A first line that names no type gives `type: undefined` and the whole text
 * as the message.
 *
 * @example
 * ```ts
 * readHeader('TypeError: boom');              // { type: 'TypeError', message: 'boom' }
 * readHeader('MyErr: a: b\nsecond line');     // { type: 'MyErr', message: 'a: b\nsecond line' }
 * readHeader('KeyboardInterrupt');            // { type: 'KeyboardInterrupt', message: '' }
 * readHeader('something went wrong');         // { type: undefined, message: 'something went wrong' }
 * ```
 */
export function readHeader(text: string): ExceptionHeader {
  // Only the start of the first line is looked at: a header may be megabytes of message.
  const newline = text.indexOf('\n');
  const first = (newline === -1 ? text : text.slice(0, newline)).slice(0, MAX_TYPE + 120);
  const typed = TYPED.exec(first);
  if (typed !== null && (typed[1] as string).length <= MAX_TYPE) {
    const type = typed[1] as string;
    return { type, message: text.slice(typed[0].length) };
  }
  const line = first.trimEnd();
  if (line.length <= MAX_TYPE && BARE.test(line)) return { type: line, message: newline === -1 ? '' : text.slice(newline + 1) };
  return { type: undefined, message: text };
}

/**
 * Whether `line` starts an exception (`Type: message` or a bare type), as opposed to a continued
 * message line.
 *
 * @example
 * ```ts
 * isHeaderLine('ValueError: 1'); // true
 * isHeaderLine('second line');   // false
 * ```
 */
export function isHeaderLine(line: string): boolean {
  return readHeader(line).type !== undefined;
}
