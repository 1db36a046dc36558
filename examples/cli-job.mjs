// A CLI job: a script that does its work, reports what happened, and exits when it is done.
// stop() flushes and closes: nothing keeps the process alive, and the exit code says whether
// every event was delivered. Run by CI against the embedded receiver (scripts/run-examples.mjs).
import assert from 'node:assert/strict';
import { captureExceptions, createReporter, startReceiver } from 'rxtel';

const receiver = await startReceiver({ port: 0, host: '127.0.0.1' }); // your backend, in real life
const reporter = createReporter({ endpoint: receiver.url, enabled: true });

const files = ['a.csv', 'b.csv', 'broken.csv'];
let imported = 0;
for (const file of files) {
  try {
    // captureExceptions logs whatever the job throws, then re-throws it to the job.
    await captureExceptions(reporter, async () => {
      if (file.startsWith('broken')) throw new Error(`${file}: line 3 has 4 columns, expected 5`);
      imported++;
      reporter.log('import.file', { file, rows: 100 });
    });
  } catch {
    reporter.log('import.skipped', { file }, 'WARNING');
  }
}
reporter.log('import.done', { imported, skipped: files.length - imported });

const delivered = await reporter.stop(5_000); // SESSION_END, flush, drain, close
await receiver.close();

const names = receiver.events.map((e) => (e.event === 'GENERIC_EVENT' ? e.event_name : e.event));
assert.equal(delivered, true, 'stop() did not deliver everything');
assert.deepEqual(names, ['SESSION_START', 'import.file', 'import.file', 'UNHANDLED_EXCEPTION', 'import.skipped', 'import.done', 'SESSION_END']);
console.log(`cli job: ${imported} imported, ${receiver.events.length} events delivered`);
