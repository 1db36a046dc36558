import { createHash } from 'node:crypto';

/**
 * Ids for records that carry none of their own: a hash of what they say (the caller's parts:
 * session, scope, the decoded fields), so that a request sent again gives the same ids and the
 * store keeps each record once; identical records within one request are told apart by their
 * order of appearance.
 *
 * @example
 * ```ts
 * const ids = new RecordIds();
 * ids.next(['s1', 'scope', json]) !== ids.next(['s1', 'scope', json]); // true: the second is the second occurrence
 * ```
 */
export class RecordIds {
  readonly #seen = new Map<string, number>();

  next(parts: readonly string[]): string {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(`${part.length}:${part}`);
    const digest = hash.digest('hex').slice(0, 32);
    const occurrence = this.#seen.get(digest) ?? 0;
    this.#seen.set(digest, occurrence + 1);
    return occurrence === 0 ? digest : `${digest}.${occurrence}`;
  }
}

/**
 * JSON of a value for {@link RecordIds} or a message: never throws (a value JSON cannot write gives a marker).
 *
 * @example
 * ```ts
 * recordJson({ a: 1 }); // '{"a":1}'
 * ```
 */
export function recordJson(record: unknown): string {
  try {
    return JSON.stringify(record) ?? '';
  } catch {
    return '[unwritable]';
  }
}
