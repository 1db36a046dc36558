/**
 * How the console's OTLP protobuf decoder's time grows with hostile shapes: each shape at 10,000
 * and at 80,000 repetitions (eight times the bytes), the fastest of 5 decodes each, and the
 * ratio. A linear walk gives about 8; a quadratic one 64. Also one real-shaped request: 512 log
 * records as OpenTelemetry's JS SDK writes them, decoded per second.
 *
 * Run after `npm run build`: node bench/console-protobuf.mjs
 */
import { performance } from 'node:perf_hooks';
import { decodeOtlpLogsProtobuf } from '../dist/console/ingest/otlp-protobuf.js';

/** @param {number} value */
const varint = (value) => {
  const out = [];
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
};
/** @param {number} field @param {number} wire */
const tag = (field, wire) => varint(field * 8 + wire);
/** @param {number} field @param {number[][]} parts */
const len = (field, ...parts) => {
  const body = parts.flat();
  return [...tag(field, 2), ...varint(body.length), ...body];
};
/** @param {number} field @param {string} text */
const str = (field, text) => len(field, [...Buffer.from(text)]);
/** @param {number} field @param {bigint} value */
const fixed64 = (field, value) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return [...tag(field, 1), ...bytes];
};
/** @param {number} n @param {(_: unknown, i: number) => number[]} make */
const times = (n, make) => Array.from({ length: n }, make).flat();
/** @param {number[]} bytes */
const message = (bytes) => Uint8Array.from(bytes);
/** @param {string} key @param {number[]} value */
const kv = (key, value) => len(1, str(1, key), len(2, value));
/** @param {number} levels */
const nestedArrays = (levels) => {
  let value = str(1, 'x');
  for (let i = 0; i < levels; i++) value = len(5, len(1, value));
  return value;
};
const GROUPS = [...tag(9, 3), ...tag(9, 3), ...tag(9, 4), ...tag(9, 4)];
const RESOURCE = len(1, kv('k', str(1, 'v')));
const ATTRIBUTE = len(6, len(2, nestedArrays(90)));

// ExportLogsServiceRequest { resource_logs (1) { resource (1) | scope_logs (2) { log_records (2) { … } } } }
/** @type {Record<string, (n: number) => Uint8Array>} */
const shapes = {
  'empty records': (n) => message(len(1, len(2, times(n, () => [0x12, 0x00])))),
  'empty attributes in one record': (n) => message(len(1, len(2, len(2, times(n, () => [0x32, 0x00]))))),
  'nested arrays, 90 deep, side by side': (n) => message(len(1, len(2, len(2, times(Math.ceil(n / 90), () => ATTRIBUTE))))),
  'unknown groups': (n) => message(times(n, () => GROUPS)),
  'a message given again and again': (n) => message(len(1, times(n, () => RESOURCE))),
};

/** @param {() => unknown} run */
const fastest = (run) => {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
};

console.log('| shape | 10,000: ms | 80,000: ms | ratio (8 = linear) |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, shape] of Object.entries(shapes)) {
  const small = shape(10_000);
  const large = shape(80_000);
  const a = fastest(() => decodeOtlpLogsProtobuf(small));
  const b = fastest(() => decodeOtlpLogsProtobuf(large));
  console.log(`| ${name} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(1)} |`);
}

// 512 records: time, severity, body, two attributes, trace and span ids (the JS SDK's shape).
/** @param {number} i */
const record = (i) =>
  len(
    2,
    fixed64(1, 1_764_000_000_000_000_000n + BigInt(i)),
    [...tag(2, 0), ...varint(9)],
    str(3, 'INFO'),
    len(5, str(1, `order ${i} shipped`)),
    len(6, str(1, 'order.id'), len(2, str(1, `o-${i}`))),
    len(6, str(1, 'http.route'), len(2, str(1, '/orders/:id'))),
    len(9, [...Buffer.alloc(16, 7)]),
    len(10, [...Buffer.alloc(8, 3)]),
  );
const request = message(len(1, len(1, kv('service.name', str(1, 'checkout'))), len(2, len(1, str(1, 'app')), times(512, (_, i) => record(i)))));
const perRequest = fastest(() => decodeOtlpLogsProtobuf(request));
console.log(`\n512-record logs request (${request.length} bytes): ${perRequest.toFixed(2)} ms to decode, ${Math.round(512 / (perRequest / 1000)).toLocaleString('en')} records/s`);
