/**
 * A session's row index: for every line of its file, in typed arrays that grow (no object per
 * event), where the line is (byte offset, length), when its event happened, its severity, kind and
 * name (interned to a number per session). Row `i` is the line of `seq` `i`; a line that does not
 * read back as an event is a row marked unreadable, so the numbering never shifts. Filters by
 * severity, kind and name are answered from here alone.
 */
import { EVENT_KINDS, SEVERITIES, type ConsoleEvent, type ConsoleEventKind, type ConsoleSeverity } from '../model.js';

const UNREADABLE = 0x80;
const INITIAL_ROWS = 256;

/** The filters a row index answers: every one given narrows. */
export interface RowFilter {
  readonly severities?: readonly ConsoleSeverity[];
  readonly kinds?: readonly ConsoleEventKind[];
  /** Names containing this, case-insensitively. */
  readonly name?: string;
}

const grow = <T extends Float64Array | Uint32Array | Uint8Array>(array: T, capacity: number, make: (n: number) => T): T => {
  const bigger = make(capacity);
  bigger.set(array);
  return bigger;
};

/**
 * The rows of one session file.
 *
 * @example
 * ```ts
 * const rows = new RowIndex();
 * rows.add(0, 180, event);
 * rows.select({ severities: ['ERROR'] }); // Uint32Array of matching rows
 * ```
 */
export class RowIndex {
  /** Rows (lines) indexed. */
  count = 0;
  /** Rows whose line read back as an event. */
  readable = 0;
  /** The file offset just past the last indexed line. */
  end = 0;
  private offsets = new Float64Array(INITIAL_ROWS);
  private lengths = new Uint32Array(INITIAL_ROWS);
  private times = new Float64Array(INITIAL_ROWS);
  /** Severity (bits 0–2), kind (bits 3–6), unreadable (bit 7). */
  private flags = new Uint8Array(INITIAL_ROWS);
  private names = new Uint32Array(INITIAL_ROWS);
  private readonly nameIds = new Map<string, number>();
  private readonly nameTable: string[] = [];
  private readonly nameCounts: number[] = [];
  /** A cache a reader may hang on the index (dropped with it), keyed by the row count it saw. */
  memo: { readonly rows: number; readonly value: unknown } | undefined;

  /** Adds the line at `offset` of `length` bytes (its newline included); `event` undefined: unreadable. */
  add(offset: number, length: number, event: ConsoleEvent | undefined): void {
    if (this.count === this.offsets.length) this.resize(this.count * 2);
    const row = this.count++;
    this.offsets[row] = offset;
    this.lengths[row] = length;
    this.end = offset + length;
    if (event === undefined) {
      this.flags[row] = UNREADABLE;
      return;
    }
    this.readable++;
    this.times[row] = event.ts;
    this.flags[row] = SEVERITIES.indexOf(event.severity) | (EVENT_KINDS.indexOf(event.kind) << 3);
    let id = this.nameIds.get(event.name);
    if (id === undefined) {
      id = this.nameTable.length;
      this.nameIds.set(event.name, id);
      this.nameTable.push(event.name);
      this.nameCounts.push(0);
    }
    this.nameCounts[id]!++;
    this.names[row] = id;
  }

  isReadable(row: number): boolean {
    return row < this.count && (this.flags[row]! & UNREADABLE) === 0;
  }

  offset(row: number): number {
    return this.offsets[row]!;
  }

  length(row: number): number {
    return this.lengths[row]!;
  }

  time(row: number): number {
    return this.times[row]!;
  }

  /** The row's severity as an index into {@link SEVERITIES}. */
  severity(row: number): number {
    return this.flags[row]! & 0x07;
  }

  /** Whether no filter of `filter` narrows (every readable row passes). */
  static selectsAll(filter: RowFilter): boolean {
    return !filter.severities?.length && !filter.kinds?.length && !filter.name;
  }

  /**
   * The readable rows that pass `filter`, in order.
   *
   * @example
   * ```ts
   * rows.select({ kinds: ['span', 'llm'] }); // every span and LLM row
   * ```
   */
  select(filter: RowFilter): Uint32Array {
    const severities = bitsOf(filter.severities, SEVERITIES);
    const kinds = bitsOf(filter.kinds, EVENT_KINDS);
    const names = filter.name ? this.namesContaining(filter.name) : undefined;
    const out = new Uint32Array(this.readable);
    let n = 0;
    for (let row = 0; row < this.count; row++) {
      const flags = this.flags[row]!;
      if (flags & UNREADABLE) continue;
      if (!(severities & (1 << (flags & 0x07)))) continue;
      if (!(kinds & (1 << (flags >> 3)))) continue;
      if (names !== undefined && names[this.names[row]!] === 0) continue;
      out[n++] = row;
    }
    return out.subarray(0, n);
  }

  /** Each name and how often it occurs, most frequent first (then by name). */
  nameCountList(): { name: string; count: number }[] {
    return this.nameTable
      .map((name, i) => ({ name, count: this.nameCounts[i]! }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Bytes its typed arrays take (the interned names not counted). */
  byteSize(): number {
    return this.offsets.byteLength + this.lengths.byteLength + this.times.byteLength + this.flags.byteLength + this.names.byteLength;
  }

  private namesContaining(part: string): Uint8Array {
    const wanted = part.toLowerCase();
    return Uint8Array.from(this.nameTable, (name) => (name.toLowerCase().includes(wanted) ? 1 : 0));
  }

  private resize(capacity: number): void {
    this.offsets = grow(this.offsets, capacity, (n) => new Float64Array(n));
    this.lengths = grow(this.lengths, capacity, (n) => new Uint32Array(n));
    this.times = grow(this.times, capacity, (n) => new Float64Array(n));
    this.flags = grow(this.flags, capacity, (n) => new Uint8Array(n));
    this.names = grow(this.names, capacity, (n) => new Uint32Array(n));
  }
}

/** A bit per listed value (all bits when none is listed). */
function bitsOf<T>(listed: readonly T[] | undefined, all: readonly T[]): number {
  if (!listed?.length) return 0xff;
  let bits = 0;
  for (const value of listed) {
    const i = all.indexOf(value);
    if (i >= 0) bits |= 1 << i;
  }
  return bits;
}
