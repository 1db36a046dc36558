// A worker with installProcessHandlers: when it dies of an uncaught exception, the exception and
// SESSION_END still reach the backend before the process exits with code 1, as Node would.
// This file is both the supervisor (starts a receiver, runs the worker, checks what arrived) and,
// with the argument `worker`, the worker. Run by CI (scripts/run-examples.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createReporter, installProcessHandlers, startReceiver } from 'rxtel';

if (process.argv[2] === 'worker') {
  const reporter = createReporter({ endpoint: process.env.WORKER_TELEMETRY_ENDPOINT, enabled: true });
  installProcessHandlers(reporter, { fatalTimeoutMs: 3_000 });
  for (const job of [1, 2, 3]) reporter.log('job.done', { job });
  // A bug in the worker, thrown from a callback nobody catches:
  queueMicrotask(() => {
    throw new TypeError("Cannot read properties of undefined (reading 'payload')");
  });
} else {
  const receiver = await startReceiver({ port: 0, host: '127.0.0.1' });
  const worker = spawn(process.execPath, [fileURLToPath(import.meta.url), 'worker'], {
    env: { ...process.env, WORKER_TELEMETRY_ENDPOINT: receiver.url },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  worker.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(worker, 'exit');
  await receiver.close();

  const kinds = receiver.events.map((e) => (e.event === 'GENERIC_EVENT' ? e.event_name : e.event));
  assert.equal(code, 1, `the worker exited with ${code}, not 1 as Node does on an uncaught exception`);
  assert.match(stderr, /TypeError: Cannot read properties of undefined/, 'Node no longer printed the error');
  assert.deepEqual(kinds, ['SESSION_START', 'job.done', 'job.done', 'job.done', 'UNHANDLED_EXCEPTION', 'SESSION_END']);
  const fatal = receiver.events.find((e) => e.event === 'UNHANDLED_EXCEPTION');
  assert.equal(fatal?.severity, 'CRITICAL');
  console.log(`worker: exited ${code} after its fatal exception; ${receiver.events.length} events delivered`);
}
