/**
 * The spool's bytes on disk (docs/durability.md#format-and-recovery): a segment is a 40-byte header
 * followed by record frames. Pure functions over Buffers; no I/O here.
 *
 * Header (little-endian): magic `RXTS`, format version u16, flags u16, owner id (16 bytes), segment
 * seq u32, created-at ms f64, CRC-32 of the 36 bytes before it.
 *
 * Frame (little-endian): `len` u32 (the body's length), `crc` u32 = CRC-32 over the 4 length bytes
 * and then the body, body = `recSeq` u64, `kind` u8, `sinkMask` u32, the UTF-8 payload.
 */
import { crc32 } from 'node:zlib';

/** The segment format this code writes and reads. Another version is left alone. */
export const FORMAT_VERSION = 1;
/** The directory under the spool's `dir` that holds this format's owners and claims. */
export const FORMAT_DIR = `v${FORMAT_VERSION}`;
/** The first 4 bytes of every segment. */
export const MAGIC = Buffer.from('RXTS', 'latin1');
/** A segment header's length. */
export const HEADER_BYTES = 40;
/** `len` and `crc`. */
export const FRAME_HEAD_BYTES = 8;
/** recSeq, kind and sinkMask, before the payload. */
export const BODY_FIXED_BYTES = 13;
/** A frame's bytes beyond its payload's. */
export const FRAME_OVERHEAD = FRAME_HEAD_BYTES + BODY_FIXED_BYTES;
/** `kind` of an event record (the only kind written today). */
export const KIND_EVENT = 1;
const TWO_32 = 2 ** 32;

/** What a valid segment header says. */
export interface SegmentHeader {
  readonly ownerId: string;
  readonly seq: number;
  readonly createdAtMs: number;
}

/** A segment header; `ownerId` is 32 hex digits (16 bytes). */
export function encodeHeader(ownerId: string, seq: number, createdAtMs: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt16LE(FORMAT_VERSION, 4);
  header.writeUInt16LE(0, 6);
  header.write(ownerId, 8, 16, 'hex');
  header.writeUInt32LE(seq >>> 0, 24);
  header.writeDoubleLE(createdAtMs, 28);
  header.writeUInt32LE(crc32(header.subarray(0, 36)), 36);
  return header;
}

/** The header's fields, or why it is not one this code can read. */
export function decodeHeader(bytes: Buffer): SegmentHeader | 'short' | 'garbage' | { unknownVersion: number } {
  if (bytes.length < HEADER_BYTES) return 'short';
  if (!bytes.subarray(0, 4).equals(MAGIC)) return 'garbage';
  const version = bytes.readUInt16LE(4);
  if (version !== FORMAT_VERSION) return { unknownVersion: version };
  if (crc32(bytes.subarray(0, 36)) !== bytes.readUInt32LE(36)) return 'garbage';
  return { ownerId: bytes.toString('hex', 8, 24), seq: bytes.readUInt32LE(24), createdAtMs: bytes.readDoubleLE(28) };
}

/**
 * Writes one frame at `offset` of `target` (which has room for `frameBytes`) and returns the offset
 * after it. `frameBytes` must be the payload's UTF-8 length plus {@link FRAME_OVERHEAD}.
 */
export function writeFrame(target: Buffer, offset: number, seq: number, sinkMask: number, payload: string, frameBytes: number): number {
  const len = frameBytes - FRAME_HEAD_BYTES;
  const body = offset + FRAME_HEAD_BYTES;
  target.writeUInt32LE(len, offset);
  target.writeUInt32LE(seq % TWO_32, body);
  target.writeUInt32LE(Math.floor(seq / TWO_32), body + 4);
  target.writeUInt8(KIND_EVENT, body + 8);
  target.writeUInt32LE(sinkMask >>> 0, body + 9);
  target.write(payload, body + BODY_FIXED_BYTES, 'utf8');
  target.writeUInt32LE(frameCrc(target, offset, len), offset + 4);
  return offset + frameBytes;
}

/** CRC-32 over the length bytes, then the body, of the frame at `offset` whose body is `len` long. */
function frameCrc(bytes: Buffer, offset: number, len: number): number {
  return crc32(bytes.subarray(offset + FRAME_HEAD_BYTES, offset + FRAME_HEAD_BYTES + len), crc32(bytes.subarray(offset, offset + 4)));
}

/** A frame that validated. */
export interface Frame {
  readonly seq: number;
  readonly kind: number;
  readonly sinkMask: number;
  /** The frame's whole length (head and body). */
  readonly frameBytes: number;
}

/**
 * The frame at `offset` of `bytes`, checked. `incomplete`: `bytes` ends inside it (it claims that
 * many bytes from `offset`). `bad`: its length is out of bounds (`frameBytes` undefined) or its CRC
 * does not match (`frameBytes` is the length it claims, so a reader may try the frame after it).
 * `maxFrameBytes` bounds a whole frame.
 */
export function readFrame(bytes: Buffer, offset: number, maxFrameBytes: number): Frame | { incomplete: number } | { bad: number | undefined } {
  if (bytes.length - offset < FRAME_HEAD_BYTES) return { incomplete: FRAME_HEAD_BYTES };
  const len = bytes.readUInt32LE(offset);
  if (len < BODY_FIXED_BYTES || len + FRAME_HEAD_BYTES > maxFrameBytes) return { bad: undefined };
  const frameBytes = len + FRAME_HEAD_BYTES;
  if (bytes.length - offset < frameBytes) return { incomplete: frameBytes };
  if (frameCrc(bytes, offset, len) !== bytes.readUInt32LE(offset + 4)) return { bad: frameBytes };
  const body = offset + FRAME_HEAD_BYTES;
  const seq = bytes.readUInt32LE(body) + bytes.readUInt32LE(body + 4) * TWO_32;
  return { seq, kind: bytes.readUInt8(body + 8), sinkMask: bytes.readUInt32LE(body + 9), frameBytes };
}

/** The payload of a frame that {@link readFrame} validated at `offset`. */
export function framePayload(bytes: Buffer, offset: number, frameBytes: number): string {
  return bytes.toString('utf8', offset + FRAME_HEAD_BYTES + BODY_FIXED_BYTES, offset + frameBytes);
}

/** The name of segment `seq`: 16 hex digits, so that names sort in seq order. */
export function segmentName(seq: number): string {
  return `${seq.toString(16).padStart(16, '0')}.seg`;
}

/** The seq in a segment's file name, or `undefined` for any other name. */
export function parseSegmentName(name: string): number | undefined {
  const match = /^([0-9a-f]{16})\.seg$/.exec(name);
  return match ? Number.parseInt(match[1] ?? '', 16) : undefined;
}
