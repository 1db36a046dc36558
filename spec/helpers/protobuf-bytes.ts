/**
 * Protobuf bytes written and read by hand, for tests that need what no serializer writes (unknown
 * fields, groups, fields given twice, truncations) and to read the console's protobuf answers
 * independently of the console's own reader. Wire format: protobuf.dev "Encoding".
 */

type Bytes = readonly number[];

/** A varint; a negative number is its 64-bit two's complement (10 bytes), as `int64` writes it. */
export function varint(value: number | bigint): number[] {
  if (typeof value === 'number' && value >= 0 && value < 2 ** 31) {
    const out: number[] = [];
    let small = value;
    while (small >= 0x80) {
      out.push((small & 0x7f) | 0x80);
      small >>>= 7;
    }
    out.push(small);
    return out;
  }
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return out;
}

export const tag = (field: number, wire: number): number[] => varint(field * 8 + wire);

/** A length-delimited field (a message, a string, bytes) of the parts joined. */
export function len(field: number, ...parts: Bytes[]): number[] {
  const body = parts.flat();
  return [...tag(field, 2), ...varint(body.length), ...body];
}

export const str = (field: number, text: string): number[] => len(field, [...Buffer.from(text, 'utf8')]);
export const raw = (field: number, bytes: Bytes): number[] => len(field, bytes);
export const int = (field: number, value: number | bigint): number[] => [...tag(field, 0), ...varint(value)];

export function fixed64(field: number, value: bigint): number[] {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  return [...tag(field, 1), ...bytes];
}

export function fixed32(field: number, value: number): number[] {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return [...tag(field, 5), ...bytes];
}

export function double(field: number, value: number): number[] {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return [...tag(field, 1), ...bytes];
}

/** A message's bytes, as the body of a request. */
export const message = (...fields: Bytes[]): Uint8Array => Uint8Array.from(fields.flat());

/**
 * `levels` `AnyValue`s, each holding the next in a `kvlistValue` under key `k`, around `inner` (an
 * `AnyValue`'s bytes): built outside-in with the lengths computed first, so a million levels take
 * linear time.
 */
export function nestedKvlists(levels: number, inner: Bytes): Uint8Array {
  const KEY = [...str(1, 'k')];
  // Per level, outermost first: AnyValue.kvlist_value (6) { KeyValueList.values (1) { key, KeyValue.value (2) { … } } }
  const sizes: number[] = new Array<number>(levels + 1);
  sizes[levels] = inner.length;
  for (let level = levels - 1; level >= 0; level--) {
    const value = 1 + varint(sizes[level + 1]!).length + sizes[level + 1]!;
    const keyValue = KEY.length + value;
    const list = 1 + varint(keyValue).length + keyValue;
    sizes[level] = 1 + varint(list).length + list;
  }
  const out = new Uint8Array(sizes[0]!);
  let at = 0;
  const put = (bytes: Bytes) => {
    for (const byte of bytes) out[at++] = byte;
  };
  for (let level = 0; level < levels; level++) {
    const value = sizes[level + 1]!;
    const keyValue = KEY.length + 1 + varint(value).length + value;
    const list = 1 + varint(keyValue).length + keyValue;
    put(tag(6, 2));
    put(varint(list));
    put(tag(1, 2));
    put(varint(keyValue));
    put(KEY);
    put(tag(2, 2));
    put(varint(value));
  }
  put(inner);
  return out;
}

/** The fields of one message by number: varints as bigint, length-delimited values as bytes (fixed-size ones skipped). */
export function readFields(bytes: Uint8Array): Map<number, (bigint | Uint8Array)[]> {
  const fields = new Map<number, (bigint | Uint8Array)[]>();
  let at = 0;
  const next = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[at++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = Number(next());
    const values = fields.get(key >>> 3) ?? [];
    fields.set(key >>> 3, values);
    const wire = key & 7;
    if (wire === 0) values.push(next());
    else if (wire === 2) {
      const length = Number(next());
      if (at + length > bytes.length) throw new Error('truncated field');
      values.push(bytes.subarray(at, at + length));
      at += length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`wire type ${wire}`);
  }
  return fields;
}

/** A `google.rpc.Status` read: `code` (1) and `message` (2). */
export function readStatus(bytes: Uint8Array): { code: number; message: string } {
  const fields = readFields(bytes);
  const code = fields.get(1)?.[0];
  const message = fields.get(2)?.[0];
  return { code: typeof code === 'bigint' ? Number(code) : 0, message: message instanceof Uint8Array ? Buffer.from(message).toString('utf8') : '' };
}
