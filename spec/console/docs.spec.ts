import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_USAGE } from '../../src/console/cli.js';
import { startConsoleServer, type ConsoleServer } from '../../src/console/server/console-server.js';
import { createReporter } from '../../src/create-reporter.js';

/** docs/console.md promises the CLI's help and the JSON API's routes: both are checked against the code. */
const docs = () => readFile(new URL('../../docs/console.md', import.meta.url), 'utf8');

describe('docs/console.md', () => {
  let console: ConsoleServer;
  let dir: string;
  let sessionId: string;
  let traceId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxtel-console-docs-'));
    console = await startConsoleServer({ port: 0, dir });
    const reporter = createReporter({ endpoint: console.url, flushIntervalMs: 0 });
    const span = reporter.startSpan('work');
    traceId = span.traceId;
    span.end();
    reporter.logException(new Error('boom'));
    await reporter.stop();
    sessionId = reporter.sessionId;
  });
  afterAll(async () => {
    await console.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows `rxtel console --help` as it is', async () => {
    const block = /\$ npx rxtel console --help\n([\s\S]*?)\n```/.exec(await docs())?.[1];
    expect(block).toBe(CONSOLE_USAGE.split(homedir()).join('~'));
  });

  it('lists only routes that answer, and every route the API has', async () => {
    const routes = [...(await docs()).matchAll(/^\| `GET (\/api\/console\/[^`?]*)[^`]*` \|/gm)].map((match) => match[1] ?? '');
    expect(routes).toEqual([
      '/api/console/info',
      '/api/console/sessions',
      '/api/console/sessions/:id',
      '/api/console/sessions/:id/events',
      '/api/console/sessions/:id/events/:seq',
      '/api/console/sessions/:id/histogram',
      '/api/console/sessions/:id/traces',
      '/api/console/sessions/:id/traces/:traceId',
      '/api/console/sessions/:id/health',
      '/api/console/stream',
    ]);
    for (const route of routes.filter((r) => !r.endsWith('/stream'))) {
      const path = route.replace(':id', encodeURIComponent(sessionId)).replace(':seq', '1').replace(':traceId', traceId);
      const response = await fetch(`${console.url}${path}`);
      expect([route, response.status]).toEqual([route, 200]);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
    const spans = (await (await fetch(`${console.url}/api/console/sessions/${sessionId}/traces/${traceId}`)).json()) as { spans: { name: string }[] };
    expect(spans.spans.map((span) => span.name)).toEqual(['work']);
  });
});
