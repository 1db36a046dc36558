/**
 * `npm run bench [-- --quick] [--only=rxtel,posthog] [--scenario=e2e,drain] [--runs=3] [--equal-queues] [--out=name]`
 *
 * Starts the counting server (server.mjs) in its own process, runs every client × scenario in a
 * fresh child (child.mjs, --expose-gc), `runs` times each (3, or 1 with --quick), resetting the
 * server in between, and writes bench/results/<out>.json, <out>.md and chart.svg (<out>-chart.svg
 * unless `out` is `latest`). `out` is `latest`, or `partial` when --only/--scenario filter the
 * matrix (so a partial run never overwrites the full results). Both outputs start with issue 16's
 * targets (rxtel against the `opentelemetry` row of the same run; those whose rows ran). --equal-queues: every client with a queue bound gets 10,000 in
 * the outage scenario (default: each client's own default).
 */
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { renderSvg } from './lib/chart.mjs';
import { computeTargets, renderMarkdown, summarise } from './lib/report.mjs';
import { CHILD_TIMEOUT_MS, MATRIX, SIZES, settingsFor } from './settings.mjs';

/** @type {Record<string, string | true>} */
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
/** @param {unknown} v */
const list = (v) => (typeof v === 'string' ? v.split(',') : undefined);
const quick = args.quick === true;
const runs = Number(args.runs ?? (quick ? 1 : 3));
const only = list(args.only);
const scenarioFilter = list(args.scenario);
const equalQueues = args['equal-queues'] === true;
const sizes = quick ? SIZES.quick : SIZES.full;
const scenarios = /** @type {(keyof typeof MATRIX)[]} */ (Object.keys(MATRIX)).filter((s) => scenarioFilter === undefined || scenarioFilter.includes(s));
const out = typeof args.out === 'string' ? args.out : only || scenarioFilter ? 'partial' : 'latest';
const here = new URL('.', import.meta.url);
// Extra node flags for the children only, e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile a client.
const childNodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

// ---- the server and the relay of children's requests to it ----
const server = fork(new URL('server.mjs', here), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const port = await new Promise((resolve) => server.once('message', (/** @type {any} */ m) => resolve(m.port)));
const url = `http://127.0.0.1:${port}`;
let relayId = 0;
/** @type {Map<number, (stats: unknown) => void>} */
const pending = new Map();
server.on('message', (/** @type {any} */ m) => {
  pending.get(m.id)?.(m.stats);
  pending.delete(m.id);
});
/** @param {object} message */
const ask = (message) => new Promise((resolve) => {
  const id = ++relayId;
  pending.set(id, resolve);
  server.send({ ...message, id });
});

/** @param {string} client @param {keyof typeof MATRIX} scenario @returns {Promise<any>} */
function runChild(client, scenario) {
  const job = { client, scenario, url, size: sizes[scenario], settings: settingsFor(scenario, client, { equalQueues }) };
  return new Promise((resolve) => {
    const child = fork(new URL('child.mjs', here), [JSON.stringify(job)], { execArgv: ['--expose-gc', ...childNodeArgs], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    /** @type {any} */
    let reply;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.on('message', async (/** @type {any} */ m) => {
      if (m.type === 'server') child.send({ type: 'server-reply', id: m.id, stats: await ask(m.message) }, () => undefined);
      if (m.type === 'result') reply = m;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (reply) return resolve({ ...reply, settings: job.settings });
      const why = timedOut ? `timed out after ${CHILD_TIMEOUT_MS / 1000} s` : `exited (${signal ?? code}) without a result`;
      resolve({ ok: false, error: `${why}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`, settings: job.settings });
    });
  });
}

// ---- the runs ----
/** @type {Record<string, Record<string, any[]>>} */
const raw = {};
/** @type {Record<string, Record<string, any>>} */
const options = {};
const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: +(totalmem() / 2 ** 30).toFixed(1), loadavg: loadavg(), platform: `${process.platform}/${process.arch}` };
const started = performance.now();
for (const scenario of scenarios) {
  for (const client of MATRIX[scenario].filter((c) => only === undefined || only.includes(c))) {
    for (let run = 0; run < runs; run++) {
      await ask({ type: 'reset' });
      const t = performance.now();
      const reply = await runChild(client, scenario);
      ((raw[scenario] ??= {})[client] ??= []).push(reply.ok ? reply.result : { error: reply.error });
      (options[scenario] ??= {})[client] = { settings: reply.settings, clientOptions: reply.options };
      const secs = ((performance.now() - t) / 1000).toFixed(1);
      console.log(`${scenario} ${client} #${run + 1} (${secs} s): ${reply.ok ? JSON.stringify(reply.result) : `FAILED ${reply.error.split('\n')[0]}`}`);
    }
  }
}
server.send({ type: 'exit' });

// ---- the outputs ----
/** @param {string} name */
const version = (name) => {
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, here), 'utf8')).version;
  } catch {
    return 'not installed';
  }
};
const PACKAGES = ['@opentelemetry/sdk-logs', '@opentelemetry/exporter-logs-otlp-http', '@opentelemetry/api-logs', '@opentelemetry/resources', '@opentelemetry/api', 'posthog-node', '@posthog/core', '@segment/analytics-node'];
const results = {
  date: new Date().toISOString(),
  quick,
  runs,
  equalQueues,
  seconds: (performance.now() - started) / 1000,
  machine,
  versions: { rxtel: JSON.parse(readFileSync(new URL('../package.json', here), 'utf8')).version, ...Object.fromEntries(PACKAGES.map((p) => [p, version(p)])) },
  sizes: Object.fromEntries(scenarios.map((s) => [s, sizes[s]])),
  settings: options,
  medians: summarise(raw),
  /** @type {ReturnType<typeof computeTargets>} */
  targets: [],
  raw,
};
results.targets = computeTargets(results.medians);
const dir = new URL('results/', here);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL(`${out}.json`, dir), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(new URL(`${out}.md`, dir), renderMarkdown(results));
// The chart shows e2e and ingest: a run without either has none.
if (results.medians.e2e || results.medians.ingest) writeFileSync(new URL(out === 'latest' ? 'chart.svg' : `${out}-chart.svg`, dir), renderSvg(results));
console.log(`\n${renderMarkdown(results)}`);
console.log(`bench finished in ${results.seconds.toFixed(0)} s → bench/results/${out}.{json,md}`);
