/**
 * The ids the store has stored lately, so that a batch sent twice (a client's retry after a lost
 * answer) is stored once. Bounded: it remembers the last `capacity` ids over all sessions and
 * forgets the oldest first (FIFO), so a duplicate that arrives after `capacity` newer events is
 * stored again. It lives in memory only: after a restart it starts empty.
 */
import { createHash } from 'node:crypto';

/** Ids longer than this are remembered by their SHA-256, so that hostile ids cannot make it large. */
const MAX_KEPT_ID_CHARS = 128;

const keyOf = (id: string): string => (id.length <= MAX_KEPT_ID_CHARS ? id : `\u0000${createHash('sha256').update(id).digest('base64')}`);

/**
 * A FIFO window of (session, id) pairs: a Set of ids per session and a ring that says which pair
 * to forget next.
 *
 * @example
 * ```ts
 * const seen = new IdWindow(200_000);
 * seen.add('s', 'e1');
 * seen.has('s', 'e1'); // true
 * seen.has('t', 'e1'); // false: ids are per session
 * ```
 */
export class IdWindow {
  private readonly bySession = new Map<string, SessionIds>();
  private readonly ringIds: string[] = [];
  private readonly ringSets: SessionIds[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  /** Ids remembered now. */
  get size(): number {
    return this.ringIds.length;
  }

  has(session: string, id: string): boolean {
    return this.bySession.get(session)?.has(keyOf(id)) === true;
  }

  /** Remembers `id` of `session`, forgetting the oldest pair when full. */
  add(session: string, id: string): void {
    if (this.capacity === 0) return;
    let ids = this.bySession.get(session);
    if (ids === undefined) {
      ids = new SessionIds(session);
      this.bySession.set(session, ids);
    }
    const key = keyOf(id);
    if (ids.has(key)) return;
    ids.add(key);
    if (this.ringIds.length < this.capacity) {
      this.ringIds.push(key);
      this.ringSets.push(ids);
      return;
    }
    const oldSet = this.ringSets[this.next]!;
    oldSet.delete(this.ringIds[this.next]!);
    if (oldSet.size === 0 && this.bySession.get(oldSet.session) === oldSet) this.bySession.delete(oldSet.session);
    this.ringIds[this.next] = key;
    this.ringSets[this.next] = ids;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Forgets every id of `session` (it was evicted: its ids may come again as new events). */
  forget(session: string): void {
    const ids = this.bySession.get(session);
    if (ids === undefined) return;
    ids.clear();
    this.bySession.delete(session);
  }
}

/** One session's remembered ids (the ring holds the set itself, so a session evicted and begun again has a new one). */
class SessionIds extends Set<string> {
  constructor(readonly session: string) {
    super();
  }
}
