import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ExportError, EXPORT_ERROR_CODES, type ExportErrorCode } from '../../src/errors/export-error.js';
import type { TelemetryEvent } from '../../src/events/wire.js';
import { ConsoleSink } from '../../src/sinks/console-sink.js';
import { InMemorySink } from '../../src/sinks/in-memory-sink.js';
import { LangfuseSink } from '../../src/sinks/langfuse-sink.js';
import { NdjsonFileSink } from '../../src/sinks/ndjson-file-sink.js';
import { OtlpHttpSink } from '../../src/sinks/otlp-http-sink.js';
import type { ExportContext, ExportResult, Sink } from '../../src/sinks/sink.js';
import { TinkerHttpSink } from '../../src/sinks/tinker-http-sink.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-http-server.js';
import { makeEvent } from '../helpers/wire-fixtures.js';

/**
 * Every failed or retryable result of every built-in sink carries an ExportError with the sink's
 * name and one of the export error codes, never a bare Error (docs/sinks.md, "Export errors").
 */

const batch: TelemetryEvent[] = [makeEvent(0), makeEvent(1)];
const context: ExportContext = { batchId: 'batch-1', attempt: 0, sessionId: '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10' };
const live = (): AbortSignal => new AbortController().signal;
/** Built-in sinks answer with a Promise. */
const exportOnce = (sink: Sink, signal = live()): Promise<ExportResult> => sink.export(batch, signal, context) as Promise<ExportResult>;

/** A loopback port nobody listens on (it was free a moment ago). */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

let server: ScriptedServer;
let dir: string;
let refusedUrl: string;
beforeAll(async () => {
  refusedUrl = await closedPortUrl();
  server = await startScriptedServer(() => ({ status: 400, body: '{"error":"bad batch"}' }));
  dir = await mkdtemp(join(tmpdir(), 'rxtel-export-errors-'));
  await writeFile(join(dir, 'not-a-directory'), '');
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function expectExportError(result: ExportResult, sink: Sink, code: ExportErrorCode): void {
  expect(result.status).not.toBe('success');
  expect(result.error).toBeInstanceOf(ExportError);
  const error = result.error as ExportError;
  expect(error.sink).toBe(sink.name);
  expect(EXPORT_ERROR_CODES).toContain(error.code);
  expect(error.code).toBe(code);
  expect(error.message.startsWith(`${sink.name}: `)).toBe(true);
}

type Case = readonly [name: string, make: () => Sink, failing: (sink: Sink) => Promise<ExportResult>, code: ExportErrorCode];


const cases: readonly Case[] = [
  ['TinkerHttpSink, connection refused', () => new TinkerHttpSink({ endpoint: refusedUrl }), exportOnce, 'ERR_RXTEL_NETWORK'],
  ['TinkerHttpSink, HTTP 400', () => new TinkerHttpSink({ endpoint: server.url }), exportOnce, 'ERR_RXTEL_HTTP'],
  ['OtlpHttpSink, HTTP 400', () => new OtlpHttpSink({ endpoint: server.url }), exportOnce, 'ERR_RXTEL_HTTP'],
  [
    'LangfuseSink, HTTP 400',
    () => new LangfuseSink({ baseUrl: server.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' }),
    exportOnce,
    'ERR_RXTEL_HTTP',
  ],
  [
    'NdjsonFileSink, a parent that is a file',
    () => new NdjsonFileSink({ path: join(dir, 'not-a-directory', 'events.ndjson') }),
    exportOnce,
    'ERR_RXTEL_EXPORT',
  ],
  [
    'ConsoleSink, a destroyed stream',
    () => {
      const stream = new PassThrough();
      stream.destroy();
      return new ConsoleSink({ stream });
    },
    exportOnce,
    'ERR_RXTEL_EXPORT',
  ],
  ['ConsoleSink, an aborted export', () => new ConsoleSink({ stream: new PassThrough() }), (s) => exportOnce(s, AbortSignal.abort()), 'ERR_RXTEL_ABORTED'],
];

const all: readonly (readonly [string, () => Sink])[] = [
  ['TinkerHttpSink', () => new TinkerHttpSink({ endpoint: server.url })],
  ['OtlpHttpSink', () => new OtlpHttpSink({ endpoint: server.url })],
  ['LangfuseSink', () => new LangfuseSink({ baseUrl: server.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' })],
  ['NdjsonFileSink', () => new NdjsonFileSink({ path: join(dir, 'shut', 'events.ndjson') })],
  ['ConsoleSink', () => new ConsoleSink({ stream: new PassThrough() })],
  ['InMemorySink', () => new InMemorySink()],
];

describe('ExportError from every built-in sink', () => {
  it.each(cases)('%s: an ExportError with its code', async (_name, make, failing, code) => {
    const sink = make();
    try {
      expectExportError(await failing(sink), sink, code);
    } finally {
      await sink.shutdown();
    }
  });

  it.each(all)('%s: an export after shutdown() fails with ERR_RXTEL_SHUTDOWN', async (_name, make) => {
    const sink = make();
    await sink.shutdown();
    const result = await exportOnce(sink);
    expect(result.status).toBe('failure');
    expectExportError(result, sink, 'ERR_RXTEL_SHUTDOWN');
  });
});
