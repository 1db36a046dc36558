#!/usr/bin/env node
/**
 * The README's screenshot of `rxtel console` (docs/console.png): starts the built console on a
 * temporary folder, runs `rxtel demo --endpoint` against it, opens the demo's session in headless
 * Chromium at 1400×900 with its exception open (the cause's stack expanded) and writes the PNG.
 *
 * Run by hand after `npm run build` (not in CI): node scripts/console-screenshot.mjs [out.png]
 * Needs /usr/bin/chromium (Debian's `chromium` package).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'docs', 'console.png'));
const cli = join(root, 'dist', 'cli.js');
const data = mkdtempSync(join(tmpdir(), 'rxtel-console-shot-'));

/** Runs `node dist/cli.js ...args`; resolves with what it printed once `until` matches it (or it exits, for `until` undefined). */
function run(args, until) {
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  const done = new Promise((resolveRun, reject) => {
    const timer = setTimeout(() => reject(new Error(`rxtel ${args[0]}: nothing within 20 s; it printed: ${text}`)), 20_000);
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const match = until?.exec(text);
      if (match) {
        clearTimeout(timer);
        resolveRun(match);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (until === undefined && code === 0) resolveRun(text);
      else reject(new Error(`rxtel ${args[0]} exited with ${code}; it printed: ${text}`));
    });
  });
  return { child, done };
}

const server = run(['console', '--port', '0', '--data', data], /^rxtel console \S+ on (http:\/\/\S+)$/m);
let browser;
try {
  const url = (await server.done)[1];
  const demo = await run(['demo', '--endpoint', url]).done;
  const session = /^session (\S+) → /m.exec(demo)?.[1];
  if (session === undefined) throw new Error(`the demo printed no session: ${demo}`);
  const { events } = await (await fetch(`${url}/api/console/sessions/${session}/events?kind=exception`)).json();
  const seq = events.at(-1)?.seq;
  if (seq === undefined) throw new Error('the demo session has no exception');

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--hide-scrollbars', '--font-render-hinting=none'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  await page.goto(`${url}/#/sessions/${session}/events?ev=${seq}`);
  await page.locator('[data-testid="event-row"]').first().waitFor();
  const cause = page.locator('[data-testid="exception-part"]').nth(1);
  await cause.waitFor();
  await cause.locator('summary').click();
  await cause.locator('pre.stack').waitFor({ state: 'visible' });
  await page.locator('[data-testid="live-state"]', { hasText: /^live$/ }).waitFor();
  await page.locator('.timeline canvas').first().waitFor();
  // The chart draws on the frame after its data came.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.screenshot({ path: out });
  console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} kB)`);
} finally {
  await browser?.close();
  server.child.kill('SIGTERM');
  await new Promise((done) => (server.child.exitCode === null ? server.child.once('exit', done) : done(undefined)));
  rmSync(data, { recursive: true, force: true });
}
