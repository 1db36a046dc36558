/**
 * How a session's file is named. A session id is whatever a client sent (a UUID, `otlp:my-service`,
 * `../../etc/passwd`, 10,000 characters, a NUL), so it never becomes a path itself: a short id is
 * spelled in lowercase hex (`s-<hex of its UTF-8>.ndjson`, readable back, safe on case-insensitive
 * file systems), anything longer or not well-formed Unicode by a SHA-256 (`h-<hex>.ndjson`), whose
 * id is read back from the file's own lines.
 */
import { createHash } from 'node:crypto';

/** The folder, under the store's `dir`, that holds one file per session. */
export const SESSIONS_DIR = 'sessions';

const SUFFIX = '.ndjson';
/** 100 bytes of id make 200 hex digits: every file system takes a 210-character name. */
const MAX_SPELLED_BYTES = 100;
const FILE_NAME = /^(?:s-(?:[0-9a-f]{2})*|h-[0-9a-f]{64})\.ndjson$/;

/**
 * The file name of session `id` (no folder): the same id always gets the same name, two ids never.
 *
 * @example
 * ```ts
 * sessionFileName('otlp:api');        // 's-6f746c703a617069.ndjson'
 * sessionFileName('x'.repeat(10_000)); // 'h-<64 hex digits>.ndjson'
 * ```
 */
export function sessionFileName(id: string): string {
  const utf8 = Buffer.from(id, 'utf8');
  // A lone surrogate does not survive UTF-8 (it becomes U+FFFD), so two such ids would share a
  // spelling: they are hashed over UTF-16 instead, which keeps every code unit.
  if (utf8.length <= MAX_SPELLED_BYTES && utf8.toString('utf8') === id) return `s-${utf8.toString('hex')}${SUFFIX}`;
  return `h-${createHash('sha256').update(Buffer.from(id, 'utf16le')).digest('hex')}${SUFFIX}`;
}

/**
 * Whether `name` is a session file's name (anything else in the folder is left alone).
 *
 * @example
 * ```ts
 * isSessionFileName(sessionFileName('a')); // true
 * isSessionFileName('index.json');         // false
 * ```
 */
export function isSessionFileName(name: string): boolean {
  return FILE_NAME.test(name);
}

/**
 * The session id a file's name spells, or `undefined` for a hashed name (its lines say it).
 *
 * @example
 * ```ts
 * sessionIdOfFileName('s-6f746c703a617069.ndjson'); // 'otlp:api'
 * ```
 */
export function sessionIdOfFileName(name: string): string | undefined {
  if (!name.startsWith('s-') || !isSessionFileName(name)) return undefined;
  return Buffer.from(name.slice(2, -SUFFIX.length), 'hex').toString('utf8');
}
