import { MAX_DEPTH } from './limits.js';
import { ARRAY_VALUE, EXPORT_LOGS_REQUEST, EXPORT_TRACE_REQUEST, KEY_VALUE_LIST, type FieldType, type MessageType, type Scalar } from './otlp-protobuf-schema.js';
import { WireError, WireReader } from './protobuf-wire.js';
import { errorText, oneLine } from './result.js';

/**
 * OTLP/HTTP in the binary protobuf encoding (`content-type: application/x-protobuf`, what most
 * OpenTelemetry SDKs send by default) decoded into the OTLP/JSON shape, so that
 * `normaliseOtlpLogs` / `normaliseOtlpTraces` read it as they read a JSON body: lowerCamelCase keys,
 * trace and span ids as lower-case hex, 64-bit integers (`fixed64` times, `int64` `intValue`) as
 * decimal text, enums as numbers, `AnyValue` as `{ stringValue | boolValue | intValue | doubleValue
 * (NaN, ±Infinity as text) | arrayValue: { values } | kvlistValue: { values } | bytesValue
 * (base64) }`. Fields as in opentelemetry-proto v1.11.0 (`otlp-protobuf-schema.ts`).
 *
 * Proto3's rules, as its own parsers apply them: unknown fields (and known ones in an unexpected
 * wire type) are skipped, whatever their wire type; a scalar given twice keeps the last value, a
 * message given twice is merged, the last member of a oneof wins; a scalar at its default (0, "",
 * no bytes) is absent, as the JSON mapping leaves it out. An `AnyValue` nested deeper than
 * `MAX_DEPTH` (100) levels is not decoded: it is `{}`, which the normalisers show as the marker they
 * put in place of JSON nested that deep.
 *
 * Bounded by the body: the walk reads each byte once, recurses only into the schema's fixed nesting
 * and at most `MAX_DEPTH` `AnyValue` levels; every object it makes costs at least two bytes of the
 * body (a tag and a length), plus one array per repeated field; a string is at most twice its
 * bytes (hex ids).
 */

type Json = Record<string, unknown>;

/** A body decoded into the OTLP/JSON shape, or why it is no protobuf request of that type (one line, with the byte offset). */
export type ProtobufDecoded = { readonly json: Json } | { readonly invalid: string };

/**
 * An `ExportLogsServiceRequest` in the binary protobuf encoding, as the OTLP/JSON object
 * `normaliseOtlpLogs` takes. Never throws.
 *
 * @example
 * ```ts
 * const decoded = decodeOtlpLogsProtobuf(body);
 * if ('invalid' in decoded) return answer400(decoded.invalid);
 * const result = normaliseOtlpLogs(decoded.json, Date.now());
 * ```
 */
export function decodeOtlpLogsProtobuf(body: Uint8Array): ProtobufDecoded {
  return decode(body, EXPORT_LOGS_REQUEST);
}

/**
 * An `ExportTraceServiceRequest` in the binary protobuf encoding, as the OTLP/JSON object
 * `normaliseOtlpTraces` takes. Never throws.
 *
 * @example
 * ```ts
 * decodeOtlpTracesProtobuf(new Uint8Array([0x0a, 0x05]));
 * // { invalid: 'invalid protobuf ExportTraceServiceRequest at resourceSpans[0]: a length of 5 bytes runs past the end of its message (0 bytes left) at byte 1' }
 * ```
 */
export function decodeOtlpTracesProtobuf(body: Uint8Array): ProtobufDecoded {
  return decode(body, EXPORT_TRACE_REQUEST);
}

function decode(body: Uint8Array, type: MessageType): ProtobufDecoded {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  try {
    return { json: readMessage(new WireReader(bytes), bytes.length, type, {}, 0) };
  } catch (error) {
    if (error instanceof WireError) {
      const where = error.path.length === 0 ? '' : ` at ${error.path.join('.')}`;
      return { invalid: oneLine(`invalid protobuf ${type.name}${where}: ${error.message}`) };
    }
    return { invalid: oneLine(`unreadable protobuf ${type.name}: ${errorText(error)}`) };
  }
}

/** `error` with the field it was found in put in front of its path. */
function within(error: unknown, name: string, index: number): unknown {
  if (error instanceof WireError) error.path.unshift(index < 0 ? name : `${name}[${index}]`);
  return error;
}

/** The fields of one message, up to `end`, into `into` (a message given twice is merged into what the first made). */
function readMessage(reader: WireReader, end: number, type: MessageType, into: Json, depth: number): Json {
  while (reader.pos < end) {
    const tag = reader.tag(end);
    const field = type.fields[tag >>> 3];
    if (field === undefined || (tag & 7) !== field.wire) reader.skip(tag, end);
    else readField(reader, end, field, into, depth);
  }
  return into;
}

function readField(reader: WireReader, end: number, field: FieldType, into: Json, depth: number): void {
  const { name, type, repeated } = field;
  const list = repeated ? ((into[name] as unknown[] | undefined) ?? (into[name] = [])) : undefined;
  const index = list === undefined ? -1 : list.length;
  try {
    if (typeof type === 'object' || type === 'AnyValue') {
      const valueEnd = reader.lengthEnd(end);
      const previous = list === undefined ? (into[name] as Json | undefined) : undefined;
      const value = type === 'AnyValue' ? readAnyValue(reader, valueEnd, previous, depth) : readMessage(reader, valueEnd, type, previous ?? {}, depth);
      if (list === undefined) into[name] = value;
      else list.push(value);
      return;
    }
    const value = readScalar(reader, end, type);
    if (list !== undefined) list.push(value);
    else if (value === 0 || value === '' || (type === 'fixed64' && value === '0')) {
      if (into[name] !== undefined) delete into[name];
    } else into[name] = value;
  } catch (error) {
    throw within(error, name, index);
  }
}

function readScalar(reader: WireReader, end: number, type: Scalar): string | number {
  switch (type) {
    case 'string':
      return reader.text(end, 'utf8');
    case 'hex':
      return reader.text(end, 'hex');
    case 'fixed64':
      return reader.fixed64Text(end);
    case 'fixed32':
      return reader.fixed32(end);
    case 'uint32':
      return reader.varint32(end);
    case 'enum':
      return reader.varint32(end) | 0;
  }
}

const TWO_32 = 0x1_0000_0000;

/** An `int64` from its two halves as decimal text. */
function int64Text(lo: number, hi: number): string {
  if (hi < 0x20_0000) return String(hi * TWO_32 + lo);
  // Negative and at least -2^53: exact in a double.
  if (hi >= 0xffe0_0000) return String((hi - TWO_32) * TWO_32 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** A `double` as OTLP/JSON writes it: NaN and the infinities as text. */
const doubleJson = (value: number): number | string => (Number.isFinite(value) ? value : String(value));

/**
 * An `AnyValue` (a oneof: the last member given wins, a message member given again is merged), or
 * `{}` without reading it when nested `MAX_DEPTH` levels deep.
 */
function readAnyValue(reader: WireReader, end: number, previous: Json | undefined, depth: number): Json {
  if (depth >= MAX_DEPTH) {
    reader.pos = end;
    return {};
  }
  let value: Json = previous ?? {};
  while (reader.pos < end) {
    const tag = reader.tag(end);
    switch (tag) {
      case (1 << 3) | 2:
        value = { stringValue: reader.text(end, 'utf8') };
        break;
      case (2 << 3) | 0:
        reader.varint64(end);
        value = { boolValue: reader.lo !== 0 || reader.hi !== 0 };
        break;
      case (3 << 3) | 0:
        reader.varint64(end);
        value = { intValue: int64Text(reader.lo, reader.hi) };
        break;
      case (4 << 3) | 1:
        value = { doubleValue: doubleJson(reader.double(end)) };
        break;
      case (5 << 3) | 2:
        value = { arrayValue: readNested(reader, end, ARRAY_VALUE, value['arrayValue'], 'arrayValue', depth) };
        break;
      case (6 << 3) | 2:
        value = { kvlistValue: readNested(reader, end, KEY_VALUE_LIST, value['kvlistValue'], 'kvlistValue', depth) };
        break;
      case (7 << 3) | 2:
        value = { bytesValue: reader.text(end, 'base64') };
        break;
      default:
        reader.skip(tag, end);
    }
  }
  return value;
}

/** `AnyValue`'s `ArrayValue` or `KeyValueList`: the values in it are one level deeper. */
function readNested(reader: WireReader, end: number, type: MessageType, previous: unknown, name: string, depth: number): Json {
  try {
    const valueEnd = reader.lengthEnd(end);
    return readMessage(reader, valueEnd, type, (previous as Json | undefined) ?? {}, depth + 1);
  } catch (error) {
    throw within(error, name, -1);
  }
}
