/**
 * What the spool remembers about each record it has not released, in typed arrays (about 21 bytes
 * a record, whatever its payload), so that a spool of a million records costs megabytes, not a
 * million objects. Records are numbered by `ordinal` (0, 1, 2… in the order they were added);
 * everything below {@link RecordTable.base} is released and forgotten.
 */

/** The record is kept on disk only: `pull` returns it. */
export const DISK_ONLY = 1;
/** `pull` returned it. */
export const PULLED = 2;
/** Its frame is on disk at `offset` of its segment. */
export const WRITTEN = 4;

/** Per record: the sinks still owed, flags, the frame's offset and length, the recSeq. */
export class RecordTable {
  /** The ordinal of the first record still held; every record below it is released. */
  base = 0;
  /** The ordinal the next record gets. */
  end = 0;
  /** The recSeq of the record just below `base` (0 if none). */
  seqBelowBase = 0;
  private start = 0;
  private capacity = 1024;
  private masks = new Uint32Array(this.capacity);
  private flags = new Uint8Array(this.capacity);
  private offsets = new Uint32Array(this.capacity);
  private lengths = new Uint32Array(this.capacity);
  private seqs = new Float64Array(this.capacity);

  /** Adds a record and returns its ordinal. */
  add(seq: number, mask: number, flags: number, offset: number, frameBytes: number): number {
    if (this.start + (this.end - this.base) === this.capacity) this.makeRoom();
    const i = this.start + (this.end - this.base);
    this.masks[i] = mask;
    this.flags[i] = flags;
    this.offsets[i] = offset;
    this.lengths[i] = frameBytes;
    this.seqs[i] = seq;
    return this.end++;
  }

  /** The sinks `ordinal` is still owed (0 once released). */
  mask(ordinal: number): number {
    return ordinal < this.base || ordinal >= this.end ? 0 : (this.masks[this.index(ordinal)] ?? 0);
  }

  setMask(ordinal: number, mask: number): void {
    this.masks[this.index(ordinal)] = mask;
  }

  flagsOf(ordinal: number): number {
    return ordinal < this.base ? 0 : (this.flags[this.index(ordinal)] ?? 0);
  }

  setFlags(ordinal: number, flags: number): void {
    this.flags[this.index(ordinal)] = flags;
  }

  offset(ordinal: number): number {
    return this.offsets[this.index(ordinal)] ?? 0;
  }

  frameBytes(ordinal: number): number {
    return this.lengths[this.index(ordinal)] ?? 0;
  }

  seq(ordinal: number): number {
    return ordinal < this.base ? this.seqBelowBase : (this.seqs[this.index(ordinal)] ?? 0);
  }

  setWritten(ordinal: number, offset: number): void {
    const i = this.index(ordinal);
    this.offsets[i] = offset;
    this.flags[i] = (this.flags[i] ?? 0) | WRITTEN;
  }

  /** Forgets the released records (mask 0) at the bottom, below `limit`. */
  trim(limit: number): void {
    while (this.base < Math.min(limit, this.end) && this.masks[this.start] === 0) {
      this.seqBelowBase = this.seqs[this.start] ?? this.seqBelowBase;
      this.start++;
      this.base++;
    }
    if (this.base === this.end) this.start = 0;
  }

  private index(ordinal: number): number {
    return this.start + (ordinal - this.base);
  }

  private makeRoom(): void {
    const held = this.end - this.base;
    // Slide down when at least half is free; grow otherwise.
    const capacity = held * 2 > this.capacity ? this.capacity * 2 : this.capacity;
    const move = <T extends Uint32Array | Uint8Array | Float64Array>(from: T, make: (n: number) => T): T => {
      const to = capacity === this.capacity ? from : make(capacity);
      to.set(from.subarray(this.start, this.start + held), 0);
      return to;
    };
    this.masks = move(this.masks, (n) => new Uint32Array(n));
    this.flags = move(this.flags, (n) => new Uint8Array(n));
    this.offsets = move(this.offsets, (n) => new Uint32Array(n));
    this.lengths = move(this.lengths, (n) => new Uint32Array(n));
    this.seqs = move(this.seqs, (n) => new Float64Array(n));
    this.capacity = capacity;
    this.start = 0;
  }
}
