import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';

const gunzip = promisify(gunzipCallback);

/** The content codings the receiver decodes, as its 415 answers list them in `accept-encoding`. */
export const ACCEPTED_ENCODINGS = 'gzip';

/** Why a request body could not be decoded. */
export type UndecodableBody =
  /** Decoded, it would pass the limit: decoding stopped there. */
  | { readonly tooLarge: true }
  /** A coding the receiver does not decode (as written in the header). */
  | { readonly unsupported: string }
  /** Not valid gzip (truncated, bad header or checksum). */
  | { readonly corrupt: string };

/** A request body after its content coding: the text, or why there is none. */
export type DecodedBody = { readonly text: string } | UndecodableBody;

/** A request body after its content coding: the bytes (for a binary body: OTLP's protobuf), or why there are none. */
export type InflatedBody = { readonly bytes: Buffer } | UndecodableBody;

/**
 * The codings named by a `content-encoding` header, in the order they were applied, without
 * `identity` (which changes nothing). Names are case-insensitive (RFC 9110 §8.4.1).
 */
function codings(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && name !== 'identity');
}

/**
 * Undoes a request body's content coding within `maxBytes`: none or `identity` as it is, `gzip`
 * (and `x-gzip`, which RFC 9110 §8.4.1.3 says to treat as gzip) inflated — off the main thread,
 * and only up to `maxBytes` of output: a small body that would inflate past the limit (a gzip bomb)
 * stops there and is `tooLarge`, never held whole. Any other coding, or more than one, is
 * `unsupported`.
 *
 * @example
 * ```ts
 * await inflateBody('gzip', gzipSync(protobuf), 1024);         // { bytes: <the protobuf> }
 * await inflateBody('gzip', gzipSync(Buffer.alloc(5e7)), 1024); // { tooLarge: true }
 * await inflateBody('br', body, 1024);                          // { unsupported: 'br' }
 * ```
 */
export async function inflateBody(contentEncoding: string | undefined, raw: Buffer, maxBytes: number): Promise<InflatedBody> {
  const applied = codings(contentEncoding);
  if (applied.length === 0) return { bytes: raw };
  if (applied.length > 1 || (applied[0] !== 'gzip' && applied[0] !== 'x-gzip')) return { unsupported: applied.join(', ') };
  try {
    return { bytes: await gunzip(raw, { maxOutputLength: maxBytes }) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { tooLarge: true };
    return { corrupt: (error as Error).message };
  }
}

/**
 * {@link inflateBody}, the bytes read as UTF-8 text.
 *
 * @example
 * ```ts
 * await decodeBody('gzip', gzipSync('{"a":1}'), 1024);        // { text: '{"a":1}' }
 * await decodeBody('gzip', gzipSync(Buffer.alloc(5e7)), 1024); // { tooLarge: true }
 * await decodeBody('br', body, 1024);                          // { unsupported: 'br' }
 * ```
 */
export async function decodeBody(contentEncoding: string | undefined, raw: Buffer, maxBytes: number): Promise<DecodedBody> {
  const body = await inflateBody(contentEncoding, raw, maxBytes);
  return 'bytes' in body ? { text: body.bytes.toString('utf8') } : body;
}
