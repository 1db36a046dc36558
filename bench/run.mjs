/**
 * `npm run bench [-- --quick] [--only=rxtel,opentelemetry] [--scenario=e2e] [--runs=3]`
 * Starts the counting server in its own process, runs every client × scenario in a fresh child
 * process (three times unless --quick), and writes bench/results/latest.{json,md} and chart.svg.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { renderMarkdown, renderSvg, summarise } from './report.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const quick = args.quick === true;
const runs = Number(args.runs ?? (quick ? 1 : 3));
const only = typeof args.only === 'string' ? args.only.split(',') : undefined;
const SIZES = quick
  ? { ingest: [50_000], e2e: [50_000], outage: [20_000, 2, 10], drain: [20_000] }
  : { ingest: [200_000], e2e: [200_000], outage: [100_000, 5, 30], drain: [100_000] };
const MATRIX = {
  ingest: ['rxtel', 'opentelemetry', 'posthog', 'segment', 'array'],
  e2e: ['rxtel', 'opentelemetry', 'posthog', 'segment', 'fetch-floor'],
  outage: ['rxtel', 'opentelemetry', 'posthog', 'segment'],
  drain: ['rxtel', 'opentelemetry', 'posthog', 'segment'],
};
const scenarios = Object.keys(MATRIX).filter((s) => args.scenario === undefined || args.scenario === s);
const here = new URL('.', import.meta.url);

const server = fork(new URL('server.mjs', here), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const port = await new Promise((resolve) => server.once('message', (m) => resolve(m.port)));
const url = `http://127.0.0.1:${port}`;
const reset = () => new Promise((resolve) => {
  server.once('message', resolve);
  server.send({ type: 'reset' });
});

function runChild(client, scenario) {
  return new Promise((resolve) => {
    const child = fork(new URL('child.mjs', here), [client, scenario, url, ...SIZES[scenario].map(String)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    let reply;
    child.on('message', (m) => (reply = m));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(reply ?? { ok: false, error: `exited ${code} without a result: ${stderr.slice(-500)}` });
    });
  });
}

const raw = {};
const started = performance.now();
for (const scenario of scenarios) {
  for (const client of MATRIX[scenario].filter((c) => only === undefined || only.includes(c))) {
    for (let run = 0; run < runs; run++) {
      await reset();
      const reply = await runChild(client, scenario);
      (raw[scenario] ??= {})[client] ??= [];
      raw[scenario][client].push(reply.ok ? reply.result : { error: reply.error });
      console.log(`${scenario} ${client} #${run + 1}: ${reply.ok ? JSON.stringify(reply.result) : `FAILED ${reply.error.split('\n')[0]}`}`);
    }
  }
}
server.send({ type: 'exit' });

const version = (name) => {
  try {
    return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, here), 'utf8')).version;
  } catch {
    return 'unknown';
  }
};
const results = {
  date: new Date().toISOString(),
  quick,
  runs,
  sizes: SIZES,
  machine: { node: process.version, cpu: cpus()[0]?.model, cores: cpus().length },
  versions: {
    rxtel: JSON.parse(readFileSync(new URL('../package.json', here), 'utf8')).version,
    '@opentelemetry/sdk-logs': version('@opentelemetry/sdk-logs'),
    '@opentelemetry/exporter-logs-otlp-http': version('@opentelemetry/exporter-logs-otlp-http'),
    'posthog-node': version('posthog-node'),
    '@segment/analytics-node': version('@segment/analytics-node'),
  },
  medians: summarise(raw),
  raw,
  seconds: (performance.now() - started) / 1000,
};
const out = new URL('results/', here);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('latest.json', out), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(new URL('latest.md', out), renderMarkdown(results));
writeFileSync(new URL('chart.svg', out), renderSvg(results));
console.log(renderMarkdown(results));
console.log(`bench finished in ${results.seconds.toFixed(0)} s`);
