/**
 * The console's answers to OTLP/HTTP requests sent in the binary protobuf encoding, as
 * opentelemetry-proto v1.11.0 `docs/specification.md` "OTLP/HTTP Response" asks: the same encoding
 * as the request (`content-type: application/x-protobuf`), an `Export<signal>ServiceResponse` for a
 * success (empty, which is valid protobuf, when all was taken; with `partial_success` when records
 * were refused), and a `google.rpc.Status` (googleapis `google/rpc/status.proto`: `code` = 1,
 * `message` = 2) for every 4xx.
 */

/** What every protobuf answer is sent as. */
export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';

/** The request media types read as binary protobuf: OTLP's `application/x-protobuf`, and `application/protobuf`, which some clients send. */
const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf']);

/**
 * Whether a `content-type` header names binary protobuf (parameters and case aside).
 *
 * @example
 * ```ts
 * isProtobuf('application/x-protobuf');            // true
 * isProtobuf('Application/Protobuf; charset=x');   // true
 * isProtobuf('application/json');                  // false
 * ```
 */
export function isProtobuf(contentType: string | undefined): boolean {
  return PROTOBUF_TYPES.has(((contentType ?? '').split(';', 1)[0] ?? '').trim().toLowerCase());
}

/** A varint of a non-negative integer up to 2^53 (sizes, counts, codes). */
function varint(value: number, out: number[]): void {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/** A length-delimited field: tag, length, bytes. */
function lengthDelimited(field: number, bytes: Uint8Array, out: number[]): void {
  varint((field << 3) | 2, out);
  varint(bytes.length, out);
  for (const byte of bytes) out.push(byte);
}

/** A varint field, left out at 0 (proto3's default). */
function varintField(field: number, value: number, out: number[]): void {
  if (value === 0) return;
  varint(field << 3, out);
  varint(value, out);
}

/**
 * A `google.rpc.Status` with `code` (a `google.rpc.Code`: 3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED,
 * 16 UNAUTHENTICATED…) and `message`.
 *
 * @example
 * ```ts
 * protobufStatus(3, 'bad'); // <08 03 12 03 62 61 64>
 * ```
 */
export function protobufStatus(code: number, message: string): Buffer {
  const out: number[] = [];
  varintField(1, code, out);
  if (message !== '') lengthDelimited(2, Buffer.from(message, 'utf8'), out);
  return Buffer.from(out);
}

/**
 * An `ExportLogsServiceResponse` / `ExportTraceServiceResponse` (the same fields): empty when
 * nothing was refused, else `partial_success` (1) with the rejected count (`rejected_log_records` /
 * `rejected_spans`, an `int64`, 1) and `error_message` (2).
 *
 * @example
 * ```ts
 * protobufExportResponse(0);          // <> (full success)
 * protobufExportResponse(2, 'no id'); // <0a 09 08 02 12 05 6e 6f 20 69 64>
 * ```
 */
export function protobufExportResponse(rejected: number, errorMessage?: string): Buffer {
  if (rejected === 0) return Buffer.alloc(0);
  const partial: number[] = [];
  varintField(1, rejected, partial);
  if (errorMessage !== undefined && errorMessage !== '') lengthDelimited(2, Buffer.from(errorMessage, 'utf8'), partial);
  const out: number[] = [];
  lengthDelimited(1, Uint8Array.from(partial), out);
  return Buffer.from(out);
}
