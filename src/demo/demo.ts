/**
 * `npm start`: rxtel end to end in one screen. A receiver on a free loopback port, a small app that
 * logs, one 503 the receiver is told to answer (on purpose: to show a retry), a user error and an
 * exception, then stop — and what arrived. The NDJSON the receiver wrote goes with its temporary folder.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReporter } from '../create-reporter.js';
import { startReceiver } from '../receiver/receiver.js';
import { runDemoAgainst } from './demo-endpoint.js';
import { cliOptionsHelp, readCommandLine, type CliIo, type CliOption } from '../receiver/cli-options.js';
import { VERSION } from '../version.js';

function count<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ${n}`).join(', ');
}

const DEMO_OPTIONS: readonly CliOption[] = [
  { name: 'endpoint', short: 'e', value: 'URL', description: 'send to this running backend (such as `rxtel console`) instead of an embedded receiver' },
  { name: 'help', short: 'h', description: 'show this help' },
];

const DEMO_USAGE = `usage: rxtel demo [options]

Runs a small app that logs, traces, calls an LLM, fails and stops; by default against an embedded
receiver, printing what arrived.

options:
${cliOptionsHelp(DEMO_OPTIONS)}`;

/**
 * `rxtel demo [--endpoint URL]`: the demo against an embedded receiver, or against a running backend.
 * Resolves to the exit code (2 for a command line it cannot read).
 * @example
 * process.exitCode = await runDemoCommand(['--endpoint', 'http://127.0.0.1:4318'], { stdout: console.log, stderr: console.error });
 */
export async function runDemoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const line = readCommandLine(argv, { name: 'demo', options: DEMO_OPTIONS, usage: DEMO_USAGE }, io, VERSION);
  if (typeof line === 'number') return line;
  const endpoint = line.text('endpoint');
  return endpoint !== undefined ? runDemoAgainst(endpoint, io.stdout) : runDemo(io.stdout);
}

/**
 * Runs the demo, printing through `print`; resolves to the exit code (0 when everything was delivered).
 * @example
 * process.exitCode = await runDemo();
 */
export async function runDemo(print: (line: string) => void = console.log): Promise<number> {
  const folder = await mkdtemp(join(tmpdir(), 'rxtel-demo-'));
  const out = join(folder, 'events.ndjson');
  const receiver = await startReceiver({ out });
  try {
    print(`receiver listening on ${receiver.url}`);
    print('the receiver will answer the first request with 503 on purpose, to show a retry');
    receiver.inject({ status: 503, headers: { 'retry-after': '0' } }); // the first POST fails once

    const reporter = createReporter({ endpoint: receiver.url, apiKey: 'demo-key', retryBaseDelayMs: 100, flushIntervalMs: 250 });
    print(`session ${reporter.sessionId}`);

    for (const page of ['/home', '/pricing', '/signup']) reporter.log('page.view', { page, ms: page.length * 7 });
    reporter.log('cache.miss', { key: 'user:123' }, 'warning');
    await reporter.flush(); // hits the 503, retries, delivered

    const notFound = Object.assign(new Error('Project not found'), { name: 'HTTPError', status: 404 });
    reporter.logException(new Error('could not open project', { cause: notFound })); // → user_error
    reporter.logException(new TypeError("Cannot read properties of undefined (reading 'id')"));

    const delivered = await reporter.stop();
    const stats = reporter.stats();

    print('');
    print(`stop() → ${delivered ? 'everything delivered' : 'not everything was delivered'}`);
    print(`events stored: ${receiver.events.length} (${count(receiver.events, (e) => e.event)})`);
    print(`by severity:   ${count(receiver.events, (e) => e.severity)}`);
    const posts = receiver.requests.filter((r) => r.method === 'POST');
    print(`requests:      ${posts.length} (${count(posts, (r) => String(r.status))})`);
    print(`retries:       ${stats.retries}`);
    print(`dropped:       ${Object.entries(stats.dropped).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
    await receiver.close(); // closes the NDJSON file too
    const lines = (await readFile(out, 'utf8')).split('\n').filter((line) => line !== '').length;
    print(`NDJSON:        ${lines} lines written to ${out} (removed now: a temporary file)`);
    return delivered ? 0 : 1;
  } finally {
    await receiver.close();
    await rm(folder, { recursive: true, force: true });
  }
}
