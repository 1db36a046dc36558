#!/usr/bin/env node
/**
 * `npx rxtel console` from the installed package: it starts, serves the bundled UI (index.html,
 * app.js, app.css, all from the tarball's dist/console-ui), takes the demo's session over the
 * Tinker path, lists it ended through the JSON API, and stops cleanly on SIGINT.
 *
 * Usage (in a project that installed the tarball): node console.mjs <project dir>
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const project = resolve(process.argv[2] ?? '.');
const data = mkdtempSync(join(project, 'console-data-'));
const fail = (message) => {
  console.error(`check-package console: ${message}`);
  process.exitCode = 1;
};

const run = (args) =>
  new Promise((done) => {
    const child = spawn('npx', ['--no-install', 'rxtel', ...args], { cwd: project, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => done({ code, out }));
  });

const console_ = spawn(process.execPath, [join(project, 'node_modules/rxtel/dist/cli.js'), 'console', '--port', '0', '--data', data], { cwd: project, stdio: ['ignore', 'pipe', 'inherit'] });
const timer = setTimeout(() => {
  fail('no answer within 30 s');
  console_.kill('SIGKILL');
}, 30_000);
let stdout = '';
const url = await new Promise((done) => {
  console_.stdout.on('data', (chunk) => {
    stdout += chunk;
    const found = /^rxtel console \S+ on (http:\/\/\S+)$/m.exec(stdout)?.[1];
    if (found !== undefined) done(found);
  });
  console_.on('close', () => done(undefined));
});
try {
  if (url === undefined) throw new Error(`did not start:\n${stdout}`);
  const page = await fetch(`${url}/`);
  const html = await page.text();
  if (page.status !== 200 || !html.includes('app.js')) throw new Error(`GET / answered ${page.status}: ${html.slice(0, 200)}`);
  for (const asset of ['app.js', 'app.css']) {
    const response = await fetch(`${url}/${asset}`);
    if (response.status !== 200 || (await response.arrayBuffer()).byteLength < 1000) throw new Error(`GET /${asset} answered ${response.status}`);
  }
  const demo = await run(['demo', '--endpoint', url]);
  if (demo.code !== 0) throw new Error(`rxtel demo --endpoint failed:\n${demo.out}`);
  const { sessions } = await (await fetch(`${url}/api/console/sessions`)).json();
  if (sessions.length !== 1 || sessions[0].status !== 'ended' || sessions[0].exceptions < 1) throw new Error(`sessions: ${JSON.stringify(sessions)}`);
  console.log(`console: UI served, demo session ${sessions[0].id} stored (${sessions[0].events} events, ended)`);
} catch (error) {
  fail(error.message);
} finally {
  console_.kill('SIGINT');
  const code = await new Promise((done) => (console_.exitCode !== null ? done(console_.exitCode) : console_.on('close', done)));
  clearTimeout(timer);
  if (code !== 0 && process.exitCode !== 1) fail(`exited ${code} after SIGINT`);
  rmSync(data, { recursive: true, force: true });
}
