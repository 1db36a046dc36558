import { afterEach, describe, expect, it } from '@jest/globals';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sessionFileName } from '../../../src/console/store/file-names.js';
import { incoming, many, openStore, storeDirs } from '../../helpers/console-store.js';

const dirs = storeDirs();
afterEach(() => dirs.cleanup());

const end = (id: string, data?: Record<string, unknown>) => incoming(id, { kind: 'session_end', name: 'SESSION_END', ...(data ? { data } : {}) });
const crash = (id: string) => incoming(id, { kind: 'exception', severity: 'CRITICAL', name: 'Error' });

describe('session summaries', () => {
  it('counts events, exceptions, severities and sources, and knows the file size', async () => {
    const dir = dirs.make();
    const store = await openStore(dir);
    await store.append('a', {}, [
      incoming('e1'),
      incoming('e2', { severity: 'WARNING', source: 'otlp' }),
      incoming('e3', { kind: 'exception', severity: 'ERROR', name: 'TypeError' }),
      incoming('e4', { severity: 'DEBUG', source: 'langfuse' }),
    ]);
    expect(store.session('a')).toEqual({
      id: 'a',
      status: 'running',
      start_ms: 1001,
      last_ms: 1004,
      duration_ms: 3,
      received_ms: 1_700_000_000_000,
      events: 4,
      exceptions: 1,
      severities: { DEBUG: 1, INFO: 1, WARNING: 1, ERROR: 1, CRITICAL: 0 },
      sources: ['tinker', 'otlp', 'langfuse'],
      bytes: statSync(join(dir, 'sessions', sessionFileName('a'))).size,
    });
    await store.close();
  });

  it('takes start and last as the earliest and latest ts, whatever the arrival order', async () => {
    const store = await openStore(dirs.make());
    await store.append('a', {}, [incoming('e1', { ts: 5000 }), incoming('e2', { ts: 2000 })]);
    await store.append('a', {}, [incoming('e3', { ts: 9000 }), incoming('e4', { ts: 3000 })]);
    expect(store.session('a')).toMatchObject({ start_ms: 2000, last_ms: 9000, duration_ms: 7000 });
    await store.close();
  });

  it('is ended after a session_end, with its own duration_ms when it sends one', async () => {
    const store = await openStore(dirs.make());
    await store.append('a', {}, many(2));
    await store.append('a', {}, [end('e5')]);
    expect(store.session('a')).toMatchObject({ status: 'ended', duration_ms: 5 });
    await store.append('b', {}, [...many(2), end('e9', { duration_ms: 123_456 })]);
    expect(store.session('b')).toMatchObject({ status: 'ended', duration_ms: 123_456 });
    await store.append('c', {}, [...many(2), end('e9', { duration_ms: 'long' })]);
    expect(store.session('c')).toMatchObject({ status: 'ended', duration_ms: 9 });
    await store.close();
  });

  it('is crashed after a CRITICAL exception, which wins over ended in either order', async () => {
    const store = await openStore(dirs.make());
    await store.append('a', {}, [incoming('e1', { kind: 'exception', severity: 'ERROR' })]);
    expect(store.session('a')?.status).toBe('running');
    await store.append('a', {}, [crash('e2')]);
    expect(store.session('a')?.status).toBe('crashed');
    await store.append('a', {}, [end('e3')]);
    expect(store.session('a')?.status).toBe('crashed');
    await store.append('b', {}, [end('e1'), crash('e2')]);
    expect(store.session('b')?.status).toBe('crashed');
    // A CRITICAL event that is no exception does not crash a session.
    await store.append('c', {}, [incoming('e1', { severity: 'CRITICAL' })]);
    expect(store.session('c')?.status).toBe('running');
    await store.close();
  });

  it('keeps the first non-empty value of each client fact, from whichever append gives it', async () => {
    const store = await openStore(dirs.make());
    await store.append('a', { service: '', sdk: 'rxtel 0.1.0' }, many(1));
    await store.append('a', { service: 'api', sdk: 'other 9' }, many(1, 1));
    await store.append('a', { platform: 'linux/x64', service: 'web' }, many(1, 2));
    expect(store.session('a')).toMatchObject({ service: 'api', sdk: 'rxtel 0.1.0', platform: 'linux/x64' });
    await store.close();
  });

  it('lists sessions most recently received first', async () => {
    let t = 1000;
    const store = await openStore(dirs.make(), { now: () => t });
    for (const id of ['a', 'b', 'c']) {
      await store.append(id, {}, many(1));
      t += 10;
    }
    await store.append('a', {}, many(1, 1));
    expect(store.sessions().map((s) => [s.id, s.received_ms])).toEqual([
      ['a', 1030],
      ['c', 1020],
      ['b', 1010],
    ]);
    expect(store.info()).toMatchObject({ sessions: 3, events: 4 });
    await store.close();
  });

  it('coerces a severity, kind or ts outside the model instead of storing it', async () => {
    const store = await openStore(dirs.make());
    await store.append('a', {}, [incoming('e1', { severity: 'LOUD' as never, kind: 'weird' as never, ts: Number.NaN })]);
    const [event] = (await store.events('a', {}, 0, 1))!.events;
    expect(event).toMatchObject({ severity: 'INFO', kind: 'log', ts: 1_700_000_000_000 });
    await store.close();
  });
});
