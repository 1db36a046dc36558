import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { chmod, mkdir, mkdtemp, open, readdir, readFile, readlink, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors/config-error.js';
import { ExportError } from '../../src/errors/export-error.js';
import { TelemetryEvent } from '../../src/events/wire.js';
import { NdjsonFileSink, type NdjsonFileSinkOptions } from '../../src/sinks/ndjson-file-sink.js';
import type { ExportContext, ExportResult } from '../../src/sinks/sink.js';

const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const context: ExportContext = { batchId: 'batch-1', attempt: 0, sessionId: SESSION_ID };
const live = (): AbortSignal => new AbortController().signal;

function generic(index: number, data: Record<string, unknown> = { i: index }): TelemetryEvent {
  return {
    event: 'GENERIC_EVENT', event_id: `e${index}`, event_session_index: index, severity: 'INFO',
    timestamp: '2026-01-01T00:00:01.000000Z', event_name: 'user.action', event_data: data,
  };
}
const allKinds: TelemetryEvent[] = [
  { event: 'SESSION_START', event_id: 'e0', event_session_index: 0, severity: 'INFO', timestamp: '2026-01-01T00:00:00.000001Z' },
  generic(1, { button: 'submit', nested: { ok: true, none: null }, text: 'line\nbreak ✓' }),
  { event: 'UNHANDLED_EXCEPTION', event_id: 'e2', event_session_index: 2, severity: 'ERROR', timestamp: '2026-01-01T00:00:02.000000Z',
    error_type: 'TypeError', error_message: 'boom', traceback: 'TypeError: boom\n    at f (a.js:1:1)' },
  { event: 'SESSION_END', event_id: 'e3', event_session_index: 3, severity: 'INFO', timestamp: '2026-01-01T00:00:03.000000Z', duration: '0:00:03.000000' },
];

let dir: string;
const sinks: NdjsonFileSink[] = [];
// FileHandle's methods live on its prototype: spying there reaches the handles the sink opens.
let fileHandleProto: FileHandle;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxtel-ndjson-'));
  const probe = await open(join(dir, 'probe'), 'w');
  fileHandleProto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  await rm(join(dir, 'probe'));
});

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(sinks.splice(0).map((s) => s.shutdown()));
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function makeSink(options: Partial<NdjsonFileSinkOptions> = {}): NdjsonFileSink {
  const sink = new NdjsonFileSink({ path: join(dir, 'logs', 'events.ndjson'), ...options });
  sinks.push(sink);
  return sink;
}

async function readLines(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

function errorOf(result: ExportResult): ExportError {
  if (result.status === 'success') throw new Error('expected an error result');
  expect(result.error).toBeInstanceOf(ExportError);
  return result.error as ExportError;
}

/** How many of this process's file descriptors point at `path` (Linux's /proc; elsewhere 0, unchecked). */
async function descriptorsOf(path: string): Promise<number> {
  if (process.platform !== 'linux') return 0;
  const targets = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(join('/proc/self/fd', fd)).catch(() => '')));
  return targets.filter((target) => target === path).length;
}

const systemError = (code: string): Error => Object.assign(new Error(`${code}: simulated`), { code });

describe('NdjsonFileSink', () => {
  it('writes one line per event, the wire event plus session_id, that parses back to the events', async () => {
    const sink = makeSink();
    expect(await sink.export(allKinds, live(), context)).toEqual({ status: 'success' });
    await sink.shutdown();

    const lines = await readLines(join(dir, 'logs', 'events.ndjson'));
    expect(lines).toEqual(allKinds.map((event) => ({ session_id: SESSION_ID, ...event })));
    for (const line of lines) {
      const { session_id: _, ...event } = line;
      expect(TelemetryEvent.parse(event)).toEqual(event);
    }
  });

  it('has the documented defaults and exposes contentCapture', () => {
    const sink = makeSink();
    expect(sink.name).toBe('file');
    expect(sink.contentCapture).toBe('redacted');
    expect(makeSink({ name: 'audit', contentCapture: 'raw' })).toMatchObject({ name: 'audit', contentCapture: 'raw' });
  });

  it('appends across sink instances (a process restart) and never truncates', async () => {
    const first = makeSink();
    await first.export([generic(1)], live(), context);
    await first.shutdown();
    const second = makeSink();
    await second.export([generic(2), generic(3)], live(), { ...context, sessionId: 'other-session' });
    await second.shutdown();

    const lines = await readLines(join(dir, 'logs', 'events.ndjson'));
    expect(lines.map((l) => [l['event_id'], l['session_id']])).toEqual([
      ['e1', SESSION_ID],
      ['e2', 'other-session'],
      ['e3', 'other-session'],
    ]);
  });

  it('starts on a fresh line when the existing file ends in a torn line', async () => {
    const path = join(dir, 'logs', 'events.ndjson');
    await mkdir(join(dir, 'logs'));
    await writeFile(path, '{"event_id":"e0"}\n{"event_id":"torn');
    const sink = makeSink();
    await sink.export([generic(1)], live(), context);
    await sink.shutdown();
    expect((await readFile(path, 'utf8')).split('\n')).toEqual(['{"event_id":"e0"}', '{"event_id":"torn', JSON.stringify({ session_id: SESSION_ID, ...generic(1) }), '']);
  });

  it('rotates by size: events.ndjson → .1 → .2, deleting files beyond maxFiles', async () => {
    const lineBytes = Buffer.byteLength(`${JSON.stringify({ session_id: SESSION_ID, ...generic(10) })}\n`);
    // Two lines fit, a third would go past maxBytes.
    const sink = makeSink({ maxBytes: lineBytes * 2 + 1, maxFiles: 3 });
    for (let i = 10; i < 19; i++) expect((await sink.export([generic(i)], live(), context)).status).toBe('success');
    await sink.shutdown();

    const logs = join(dir, 'logs');
    expect((await readdir(logs)).sort()).toEqual(['events.1.ndjson', 'events.2.ndjson', 'events.ndjson']);
    const ids = async (name: string) => (await readLines(join(logs, name))).map((l) => l['event_id']);
    expect(await ids('events.2.ndjson')).toEqual(['e14', 'e15']);
    expect(await ids('events.1.ndjson')).toEqual(['e16', 'e17']);
    expect(await ids('events.ndjson')).toEqual(['e18']);
    for (const name of await readdir(logs)) expect((await stat(join(logs, name))).size).toBeLessThanOrEqual(lineBytes * 2 + 1);
  });

  it('reads the existing size on the first export, so rotation works across restarts', async () => {
    const lineBytes = Buffer.byteLength(`${JSON.stringify({ session_id: SESSION_ID, ...generic(10) })}\n`);
    const first = makeSink({ maxBytes: lineBytes * 2 });
    await first.export([generic(10), generic(11)], live(), context);
    await first.shutdown();
    const second = makeSink({ maxBytes: lineBytes * 2 });
    await second.export([generic(12)], live(), context);
    await second.shutdown();

    const logs = join(dir, 'logs');
    expect((await readLines(join(logs, 'events.1.ndjson'))).map((l) => l['event_id'])).toEqual(['e10', 'e11']);
    expect((await readLines(join(logs, 'events.ndjson'))).map((l) => l['event_id'])).toEqual(['e12']);
  });

  it('deletes rotated files left beyond a smaller maxFiles by an earlier run', async () => {
    const logs = join(dir, 'logs');
    await mkdir(logs);
    for (const name of ['events.ndjson', 'events.1.ndjson', 'events.2.ndjson', 'events.3.ndjson', 'events.4.ndjson']) {
      await writeFile(join(logs, name), `{"from":"${name}"}\n`);
    }
    const sink = makeSink({ maxBytes: 10, maxFiles: 2 });
    await sink.export([generic(1)], live(), context);
    await sink.shutdown();
    expect((await readdir(logs)).sort()).toEqual(['events.1.ndjson', 'events.ndjson']);
    expect(await readLines(join(logs, 'events.1.ndjson'))).toEqual([{ from: 'events.ndjson' }]);
  });

  it('with maxFiles 1 keeps only the live file', async () => {
    const sink = makeSink({ maxBytes: 10, maxFiles: 1 });
    for (let i = 1; i <= 3; i++) await sink.export([generic(i)], live(), context);
    await sink.shutdown();
    expect(await readdir(join(dir, 'logs'))).toEqual(['events.ndjson']);
    expect((await readLines(join(dir, 'logs', 'events.ndjson'))).map((l) => l['event_id'])).toEqual(['e3']);
  });

  it('writes a batch larger than maxBytes whole, into one file, without splitting a line', async () => {
    const sink = makeSink({ maxBytes: 64, maxFiles: 2 });
    await sink.export([generic(1)], live(), context);
    const big = Array.from({ length: 20 }, (_, i) => generic(100 + i, { padding: 'x'.repeat(50) }));
    expect(await sink.export(big, live(), context)).toEqual({ status: 'success' });
    await sink.shutdown();

    const logs = join(dir, 'logs');
    expect((await readLines(join(logs, 'events.1.ndjson'))).map((l) => l['event_id'])).toEqual(['e1']);
    expect((await readLines(join(logs, 'events.ndjson'))).map((l) => l['event_id'])).toEqual(big.map((e) => e.event_id));
  });

  it('serialises concurrent exports in call order, across rotations', async () => {
    const sink = makeSink({ maxBytes: 1000, maxFiles: 1000 });
    const batches = Array.from({ length: 30 }, (_, b) => [generic(b * 2), generic(b * 2 + 1)]);
    const results = await Promise.all(batches.map((batch) => sink.export(batch, live(), context)));
    expect(results.every((r) => r.status === 'success')).toBe(true);
    await sink.shutdown();

    const logs = join(dir, 'logs');
    const rotated = (await readdir(logs)).filter((n) => n !== 'events.ndjson');
    expect(rotated.length).toBeGreaterThan(5);
    const oldestFirst = [...rotated.map((n) => Number(n.split('.')[1])).sort((a, b) => b - a).map((i) => `events.${i}.ndjson`), 'events.ndjson'];
    const ids: unknown[] = [];
    for (const name of oldestFirst) ids.push(...(await readLines(join(logs, name))).map((l) => l['event_id']));
    expect(ids).toEqual(batches.flat().map((e) => e.event_id));
  });

  it('fsyncs at shutdown, waits for pending writes, and is idempotent', async () => {
    const sync = jest.spyOn(fileHandleProto, 'sync');
    const sink = makeSink();
    await sink.export([generic(0)], live(), context);
    expect(await descriptorsOf(join(dir, 'logs', 'events.ndjson'))).toBe(process.platform === 'linux' ? 1 : 0);
    const pending = sink.export([generic(1)], live(), context);
    const first = sink.shutdown();
    expect(sink.shutdown()).toBe(first);
    await first;
    expect(await pending).toEqual({ status: 'success' });
    expect(sync).toHaveBeenCalledTimes(1);
    expect(await descriptorsOf(join(dir, 'logs', 'events.ndjson'))).toBe(0);
    await sink.shutdown();
    expect(sync).toHaveBeenCalledTimes(1);
    expect(await readLines(join(dir, 'logs', 'events.ndjson'))).toHaveLength(2);
  });

  it("fsyncs after every batch with fsync: 'batch'", async () => {
    const sync = jest.spyOn(fileHandleProto, 'sync');
    const sink = makeSink({ fsync: 'batch' });
    await sink.export([generic(1)], live(), context);
    await sink.export([generic(2)], live(), context);
    expect(sync).toHaveBeenCalledTimes(2);
  });

  it('fails an export after shutdown with ERR_RXTEL_SHUTDOWN, writing nothing', async () => {
    const sink = makeSink();
    await sink.shutdown();
    const result = await sink.export([generic(1)], live(), context);
    expect(result.status).toBe('failure');
    expect(errorOf(result).code).toBe('ERR_RXTEL_SHUTDOWN');
    await expect(readdir(join(dir, 'logs'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails an already-aborted export with ERR_RXTEL_ABORTED without writing', async () => {
    const sink = makeSink();
    const controller = new AbortController();
    controller.abort();
    const result = await sink.export([generic(1)], controller.signal, context);
    expect(result.status).toBe('failure');
    expect(errorOf(result).code).toBe('ERR_RXTEL_ABORTED');
    await expect(readdir(join(dir, 'logs'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('resolves an export aborted while queued at once, and skips its write', async () => {
    const original = fileHandleProto.write;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const writing = new Promise<void>((resolve) => (started = resolve));
    jest.spyOn(fileHandleProto, 'write').mockImplementationOnce(function (this: FileHandle, ...args: unknown[]) {
      started();
      return gate.then(() => (original as (...a: unknown[]) => Promise<unknown>).apply(this, args)) as never;
    });
    const sink = makeSink();
    const first = sink.export([generic(1)], live(), context);
    await writing;
    const controller = new AbortController();
    const second = sink.export([generic(2)], controller.signal, context);
    controller.abort(new DOMException('attempt timed out', 'TimeoutError'));
    const result = await second;
    expect(result.status).toBe('retryable');
    expect(errorOf(result).code).toBe('ERR_RXTEL_TIMEOUT');
    release();
    expect(await first).toEqual({ status: 'success' });
    await sink.shutdown();
    expect((await readLines(join(dir, 'logs', 'events.ndjson'))).map((l) => l['event_id'])).toEqual(['e1']);
  });

  it('fails with EISDIR, never the content, when the path is a directory', async () => {
    const path = join(dir, 'a-directory');
    await mkdir(path);
    const sink = new NdjsonFileSink({ path });
    sinks.push(sink);
    const result = await sink.export([generic(1, { secret: 'do-not-echo' })], live(), context);
    expect(result.status).toBe('failure');
    const error = errorOf(result);
    expect(error.message).toContain('EISDIR');
    expect(error.message).toContain(path);
    expect(error.message).not.toContain('do-not-echo');
    expect(error.sink).toBe('file');
  });

  if (process.getuid?.() !== 0) {
    // Root ignores permission bits: this one only runs as an ordinary user.
    it('fails with EACCES in a read-only directory', async () => {
      const readOnly = join(dir, 'read-only');
      await mkdir(readOnly, 0o500);
      const sink = new NdjsonFileSink({ path: join(readOnly, 'events.ndjson') });
      sinks.push(sink);
      const result = await sink.export([generic(1)], live(), context);
      expect(result.status).toBe('failure');
      expect(errorOf(result).message).toContain('EACCES');
    });
  }

  it.each([
    ['ENOSPC', 'retryable'],
    ['EAGAIN', 'retryable'],
    ['EBUSY', 'retryable'],
    ['EMFILE', 'retryable'],
    ['EACCES', 'failure'],
    ['EROFS', 'failure'],
    ['EIO', 'failure'],
  ] as const)('classifies a write error %s as %s, and recovers on the next export', async (code, status) => {
    jest.spyOn(fileHandleProto, 'write').mockRejectedValueOnce(systemError(code));
    const sink = makeSink();
    const result = await sink.export([generic(1, { secret: 'do-not-echo' })], live(), context);
    expect(result.status).toBe(status);
    expect(errorOf(result).message).toBe(`file: cannot write ${join(dir, 'logs', 'events.ndjson')} (${code})`);
    expect(await sink.export([generic(2)], live(), context)).toEqual({ status: 'success' });
    await sink.shutdown();
    expect((await readLines(join(dir, 'logs', 'events.ndjson'))).map((l) => l['event_id'])).toEqual(['e2']);
  });

  it('takes back a partial write that then fails, so no torn line remains', async () => {
    const original = fileHandleProto.write as (...a: unknown[]) => Promise<{ bytesWritten: number }>;
    jest.spyOn(fileHandleProto, 'write')
      .mockImplementationOnce(function (this: FileHandle, buffer: unknown, offset: unknown) {
        return original.call(this, buffer, offset, 10) as never; // a short write
      })
      .mockRejectedValueOnce(systemError('ENOSPC'));
    const sink = makeSink();
    await sink.export([generic(0)], live(), context).then((r) => expect(r.status).toBe('retryable'));
    expect(await sink.export([generic(1)], live(), context)).toEqual({ status: 'success' });
    await sink.shutdown();
    expect((await readLines(join(dir, 'logs', 'events.ndjson'))).map((l) => l['event_id'])).toEqual(['e1']);
  });

  it('fails an unserialisable batch without writing', async () => {
    const sink = makeSink();
    const result = await sink.export([generic(1, { big: 1n })], live(), context);
    expect(result.status).toBe('failure');
    expect(errorOf(result).message).toContain('not serialisable');
  });

  it.each([
    ['path', { path: '' }],
    ['path', { path: 42 }],
    ['maxBytes', { path: 'x.ndjson', maxBytes: 0 }],
    ['maxBytes', { path: 'x.ndjson', maxBytes: 1.5 }],
    ['maxFiles', { path: 'x.ndjson', maxFiles: 0 }],
    ['maxFiles', { path: 'x.ndjson', maxFiles: 2.5 }],
    ['name', { path: 'x.ndjson', name: '' }],
    ['contentCapture', { path: 'x.ndjson', contentCapture: 'all' }],
    ['fsync', { path: 'x.ndjson', fsync: 'always' }],
  ])('throws a ConfigError naming `%s` for %j', (option, options) => {
    let thrown: unknown;
    try {
      new NdjsonFileSink(options as unknown as NdjsonFileSinkOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ option, code: 'ERR_RXTEL_CONFIG' });
    expect((thrown as Error).message).toContain(`\`${option}\``);
  });
});
