import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionSummary } from '../../../src/console/model.js';
import { runCompiled } from '../../helpers/child-process.js';
import { makeBatch } from '../../helpers/wire-fixtures.js';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs `rxtel console` (this run's compiled src/cli.ts) on `dir`; `whileUp` runs once it listens, with its URL and a way to signal it. */
function runConsole(dir: string, whileUp: (url: string, kill: (signal: NodeJS.Signals) => void) => Promise<void>) {
  let started = false;
  let work: Promise<void> = Promise.resolve();
  const exit = runCompiled('src/cli.ts', ['console', '--port', '0', '--data', dir], {}, (stdout, kill) => {
    const url = /^rxtel console \S+ on (http:\/\/\S+)$/m.exec(stdout)?.[1];
    if (started || url === undefined) return;
    started = true;
    work = whileUp(url, kill).catch((error: unknown) => {
      kill('SIGKILL');
      throw error;
    });
  });
  return exit.then(async (result) => {
    await work;
    return result;
  });
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
    (response) => response.status,
    () => 0,
  );

describe('rxtel console killed mid-ingest', () => {
  it('keeps every batch it acknowledged, numbers on from there after a restart, and takes over the dead process lock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxtel-console-killed-'));
    folders.push(dir);
    const session = makeBatch(1).session_id;
    const batch = (n: number) => {
      const events = makeBatch(100).events.map((event, i) => ({ ...event, event_id: `${n}-${i}`, event_session_index: n * 100 + i }));
      return { ...makeBatch(1, { session_id: session }), events };
    };
    let acknowledged = 0;
    const first = await runConsole(dir, async (url, kill) => {
      for (let n = 0; n < 20; n++) if ((await post(url, batch(n))) === 200) acknowledged++;
      // Two more in flight as the console dies: each is stored whole, in part (a torn line), or not at all.
      const inFlight = [post(url, batch(20)), post(url, batch(21))];
      kill('SIGKILL');
      await Promise.all(inFlight);
    });
    expect(first.signal).toBe('SIGKILL');
    expect(acknowledged).toBe(20);

    const second = await runConsole(dir, async (url, kill) => {
      const summary = ((await (await fetch(`${url}/api/console/sessions/${session}`)).json()) as { session: SessionSummary }).session;
      expect(summary.events).toBeGreaterThanOrEqual(2000);
      expect(summary.events).toBeLessThanOrEqual(2200);
      // Every position from 0 to the last answers: the torn line, if any, was cut, not left as a hole.
      const last = (await (await fetch(`${url}/api/console/sessions/${session}/events?offset=${summary.events - 1}&limit=1`)).json()) as { events: { seq: number }[] };
      expect(last.events.map((event) => event.seq)).toEqual([summary.events - 1]);
      const ids = new Set<string>();
      for (let offset = 0; offset < summary.events; offset += 1000) {
        const page = (await (await fetch(`${url}/api/console/sessions/${session}/events?offset=${offset}&limit=1000`)).json()) as { events: { id: string }[] };
        for (const event of page.events) ids.add(event.id);
      }
      for (let n = 0; n < 20; n++) for (let i = 0; i < 100; i++) expect(ids.has(`${n}-${i}`)).toBe(true);
      expect(await post(url, batch(22))).toBe(200);
      const after = ((await (await fetch(`${url}/api/console/sessions/${session}`)).json()) as { session: SessionSummary }).session;
      expect(after.events).toBe(summary.events + 100);
      kill('SIGTERM');
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/stopped; 1 sessions, \d+ events kept in /);
  });
});
