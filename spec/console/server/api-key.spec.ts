import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConsoleCommand } from '../../../src/console/cli.js';
import type { SessionSummary } from '../../../src/console/model.js';
import { createReporter } from '../../../src/create-reporter.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `rxtel console --port 0 --data <temp> ...args`, run until the test ends; resolves with its URL. */
async function runConsole(args: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rxtel-console-key-'));
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let listening!: (url: string) => void;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const io = {
    stdout: (line: string) => {
      const found = /^rxtel console \S+ on (http:\/\/\S+)/.exec(line)?.[1];
      if (found !== undefined) listening(found);
    },
    stderr: () => undefined,
  };
  const running = runConsoleCommand(['--port', '0', '--data', dir, ...args], io, stopped);
  cleanups.push(async () => {
    stop();
    await running;
    await rm(dir, { recursive: true, force: true });
  });
  return url;
}

describe('rxtel console --api-key', () => {
  it("refuses a real reporter's batches without the key (401, given up, nothing stored) and takes them with it", async () => {
    const url = await runConsole(['--api-key', 'k3y-for-ingest']);
    const warnings: string[] = [];
    const without = createReporter({ endpoint: url, flushIntervalMs: 0, logger: { warn: (line) => warnings.push(line) } });
    without.log('page.view', { page: '/home' });
    expect(await without.stop()).toBe(false);
    const stats = without.stats();
    expect(stats.delivered).toBe(0);
    expect(stats.dropped.sendFailed).toBe(stats.accepted);
    expect(stats.sinks['tinker']?.lastError).toMatch(/401/);

    const wrong = createReporter({ endpoint: url, apiKey: 'not-the-key', flushIntervalMs: 0, logger: { warn: () => undefined } });
    wrong.log('page.view');
    expect(await wrong.stop()).toBe(false);

    const withKey = createReporter({ endpoint: url, apiKey: 'k3y-for-ingest', flushIntervalMs: 0 });
    withKey.log('page.view', { page: '/home' });
    expect(await withKey.stop()).toBe(true);

    const { sessions } = (await (await fetch(`${url}/api/console/sessions`)).json()) as { sessions: SessionSummary[] };
    expect(sessions.map((session) => session.id)).toEqual([withKey.sessionId]);
  });
});
