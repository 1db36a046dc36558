/**
 * Which sessions' row indexes stay in memory: all of them while their rows add up to at most
 * `maxRows`; past that, the sessions used (read or written) least recently give theirs up first,
 * and read it back from their file when asked again. The session in use is never the one dropped,
 * so one session larger than the bound keeps its index while it is used.
 */
import type { RowIndex } from './row-index.js';

/**
 * Loaded row indexes, least recently used first.
 *
 * @example
 * ```ts
 * const cache = new RowCache(2_000_000);
 * cache.put('s', rows);
 * cache.get('s'); // rows (and 's' is now the most recently used)
 * ```
 */
export class RowCache {
  private readonly loaded = new Map<string, RowIndex>();
  private total = 0;

  constructor(readonly maxRows: number) {}

  /** The session's index when loaded, marked as used now. */
  get(id: string): RowIndex | undefined {
    const rows = this.loaded.get(id);
    if (rows !== undefined) {
      this.loaded.delete(id);
      this.loaded.set(id, rows);
    }
    return rows;
  }

  /** Keeps `rows` as `id`'s index, then gives up others until the bound holds. */
  put(id: string, rows: RowIndex): void {
    this.drop(id);
    this.loaded.set(id, rows);
    this.total += rows.count;
    this.trim(id);
  }

  /** `id`'s loaded index gained `count` rows (an append): the bound is checked again. */
  grew(id: string, count: number): void {
    this.total += count;
    this.trim(id);
  }

  /** Gives up the least recently used indexes, never `keep`'s, until the rows fit `maxRows`. */
  trim(keep: string): void {
    if (this.total <= this.maxRows) return;
    for (const [id, rows] of this.loaded) {
      if (this.total <= this.maxRows) break;
      if (id === keep) continue;
      this.loaded.delete(id);
      this.total -= rows.count;
    }
  }

  drop(id: string): void {
    const rows = this.loaded.get(id);
    if (rows === undefined) return;
    this.loaded.delete(id);
    this.total -= rows.count;
  }

  /** Rows held now. */
  rows(): number {
    return this.total;
  }

  /** Sessions whose index is held, and the bytes of their arrays. */
  usage(): { sessions: number; bytes: number } {
    let bytes = 0;
    for (const rows of this.loaded.values()) bytes += rows.byteSize();
    return { sessions: this.loaded.size, bytes };
  }
}
