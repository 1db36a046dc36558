/**
 * Runs ONE client in ONE scenario in this fresh process (forked by run.mjs with --expose-gc) and
 * reports `{type:'result', ok, result | error}` over IPC. argv[2]: JSON
 * `{ client, scenario, url, size, settings }`.
 */
import { loadClient } from './clients/index.mjs';
import { settledMemory } from './lib/numbers.mjs';
import { drain } from './scenarios/drain.mjs';
import { e2e } from './scenarios/e2e.mjs';
import { ingest } from './scenarios/ingest.mjs';
import { hostile } from './scenarios/hostile.mjs';
import { outage } from './scenarios/outage.mjs';

const SCENARIOS = { ingest, e2e, outage, drain, hostile };

/** @param {unknown} error */
const describe = (error) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

process.on('unhandledRejection', (error) => process.stderr.write(`unhandled rejection: ${describe(error)}\n`));

async function main() {
  const job = JSON.parse(process.argv[2] ?? '{}');
  const scenario = SCENARIOS[/** @type {keyof typeof SCENARIOS} */ (job.scenario)];
  if (scenario === undefined) throw new Error(`unknown scenario ${job.scenario}`);
  const adapter = await loadClient(job.client);
  const client = adapter.create(job.url, job.settings);
  const baseline = settledMemory();
  const result = await scenario({ client, protocol: adapter.protocol, size: job.size, baseline });
  return { result, options: client.options };
}

/** @type {object} */
let reply;
try {
  const { result, options } = await main();
  reply = { type: 'result', ok: true, result, options };
} catch (error) {
  reply = { type: 'result', ok: false, error: describe(error) };
}
// Clients may leave sockets or timers behind; once the result is out, end here.
process.send?.(reply, () => process.exit(0));
