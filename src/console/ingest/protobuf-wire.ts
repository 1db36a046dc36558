/**
 * A small reader of the protobuf binary wire format (protobuf.dev "Encoding"): varints, fixed32,
 * fixed64 and length-delimited fields, and the skipping of a field of any wire type (groups too).
 * Every read is checked against the end of the message it is in, so a truncated or hostile body is
 * a {@link WireError} naming the byte offset, never a read past the end or a loop that does not
 * advance. It allocates nothing but the values it is asked for.
 */

/** The wire types (protobuf.dev "Encoding", "Message Structure"). */
export const WIRE = { varint: 0, i64: 1, len: 2, startGroup: 3, endGroup: 4, i32: 5 } as const;

/** Why a body cannot be read, and where. `path` is filled in on the way out (outermost first). */
export class WireError extends Error {
  readonly path: string[] = [];

  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at byte ${offset}`);
    this.name = 'WireError';
  }
}

const TWO_32 = 0x1_0000_0000;

/** Groups nested deeper than this are refused (protobuf's own parsers stop at 100 nested messages by default). */
export const MAX_GROUP_DEPTH = 100;

/**
 * A cursor over `bytes`. Each read takes the end of the message being read (`end`, at most
 * `bytes.length`) and throws a {@link WireError} when the value does not fit before it.
 *
 * @example
 * ```ts
 * const reader = new WireReader(Buffer.from([0x08, 0x96, 0x01]));
 * reader.tag(3);        // 8: field 1, wire type 0
 * reader.varint32(3);   // 150
 * ```
 */
export class WireReader {
  pos = 0;
  /** The low and high 32 bits of the last {@link varint64}. */
  lo = 0;
  hi = 0;
  /** Where the last {@link tag} started. */
  tagAt = 0;

  constructor(readonly bytes: Buffer) {}

  /** A varint of at most 10 bytes (64 bits) into {@link lo} and {@link hi}. */
  varint64(end: number): void {
    const bytes = this.bytes;
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      if (this.pos >= end) throw new WireError('a varint cut off by the end of its message', start);
      const byte = bytes[this.pos++] as number;
      const bits = byte & 0x7f;
      if (i < 4) lo += bits * 2 ** shift;
      else if (i === 4) {
        lo += (bits & 0x0f) * 2 ** 28;
        hi = bits >>> 4;
      } else if (i < 9) hi += bits * 2 ** (shift - 32);
      // The 10th byte holds the 64th bit only; anything more is no 64-bit varint.
      else if (byte > 1) throw new WireError('a varint longer than 64 bits', start);
      else hi += bits * 2 ** 31;
      if (byte < 0x80) break;
      shift += 7;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** A varint's low 32 bits, unsigned (`uint32`; and `int32`/enums with `| 0`); {@link hi} holds the rest. */
  varint32(end: number): number {
    const bytes = this.bytes;
    const byte = this.pos < end ? (bytes[this.pos] as number) : 0x80;
    // One byte is the common case (small counts, enums, booleans).
    if (byte < 0x80) {
      this.pos++;
      this.hi = 0;
      return byte;
    }
    this.varint64(end);
    return this.lo;
  }

  /** A field's tag: its number times 8 plus its wire type. Field number 0 and tags over 32 bits are no tags. */
  tag(end: number): number {
    const start = this.pos;
    this.tagAt = start;
    const tag = this.varint32(end);
    if (this.hi !== 0) throw new WireError('a field tag over 32 bits', start);
    if (tag >>> 3 === 0) throw new WireError(`field number 0 (tag ${tag})`, start);
    return tag;
  }

  /** The end of a length-delimited field whose length comes next (its bytes start at `pos` after). */
  lengthEnd(end: number): number {
    const start = this.pos;
    const length = this.varint32(end);
    if (this.hi !== 0 || length > end - this.pos) {
      const size = this.hi * TWO_32 + length;
      throw new WireError(`a length of ${size} bytes runs past the end of its message (only ${end - this.pos} left)`, start);
    }
    return this.pos + length;
  }

  /** A length-delimited value as text: UTF-8 (invalid sequences become U+FFFD), hex or base64 of its bytes. */
  text(end: number, encoding: 'utf8' | 'hex' | 'base64'): string {
    const valueEnd = this.lengthEnd(end);
    const start = this.pos;
    this.pos = valueEnd;
    return this.bytes.toString(encoding, start, valueEnd);
  }

  /** Skips `count` bytes of a fixed-size field. */
  fixed(end: number, count: 4 | 8): number {
    const start = this.pos;
    if (end - start < count) throw new WireError(`a ${count * 8}-bit value cut off by the end of its message`, start);
    this.pos += count;
    return start;
  }

  /** A `fixed32` (little-endian, unsigned). */
  fixed32(end: number): number {
    return this.bytes.readUInt32LE(this.fixed(end, 4));
  }

  /** A `fixed64` (little-endian, unsigned) as decimal text. */
  fixed64Text(end: number): string {
    const at = this.fixed(end, 8);
    const lo = this.bytes.readUInt32LE(at);
    const hi = this.bytes.readUInt32LE(at + 4);
    return hi < 0x20_0000 ? String(hi * TWO_32 + lo) : this.bytes.readBigUInt64LE(at).toString();
  }

  /** A `double` (little-endian IEEE 754). */
  double(end: number): number {
    return this.bytes.readDoubleLE(this.fixed(end, 8));
  }

  /**
   * Skips the value of a field whose tag was just read, whatever its wire type; a group up to its
   * matching end (groups inside it too, without recursion). Wire types 6 and 7, and an end-group
   * tag outside a group, are errors (at the tag).
   */
  skip(tag: number, end: number): void {
    const at = this.tagAt;
    switch (tag & 7) {
      case WIRE.varint:
        this.varint64(end);
        return;
      case WIRE.i64:
        this.fixed(end, 8);
        return;
      case WIRE.len:
        this.pos = this.lengthEnd(end);
        return;
      case WIRE.i32:
        this.fixed(end, 4);
        return;
      case WIRE.startGroup:
        this.skipGroup(tag >>> 3, end);
        return;
      case WIRE.endGroup:
        throw new WireError(`an end-group tag (field ${tag >>> 3}) outside a group`, at);
      default:
        throw new WireError(`wire type ${tag & 7} (field ${tag >>> 3}), which does not exist`, at);
    }
  }

  private skipGroup(field: number, end: number): void {
    // The fields of the groups still open, innermost last: each is closed by its own end-group tag.
    const open = [field];
    while (open.length > 0) {
      const at = this.pos;
      if (at >= end) throw new WireError(`a group (field ${open.at(-1)}) without its end-group tag`, at);
      const tag = this.tag(end);
      const type = tag & 7;
      if (type === WIRE.startGroup) {
        if (open.length >= MAX_GROUP_DEPTH) throw new WireError(`groups nested deeper than ${MAX_GROUP_DEPTH}`, at);
        open.push(tag >>> 3);
      }
      else if (type === WIRE.endGroup) {
        const field = open.pop();
        if (tag >>> 3 !== field) throw new WireError(`an end-group tag for field ${tag >>> 3} closing a group of field ${field}`, at);
      } else this.skip(tag, end);
    }
  }
}
