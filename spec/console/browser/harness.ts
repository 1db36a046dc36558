/**
 * What the browser specs share: the built console (`dist/`) as a real child process on
 * 127.0.0.1 with a fresh `--data` folder, `rxtel demo --endpoint` as another, and Debian's
 * Chromium driven by playwright-core, with a watch on the page for anything that must not happen
 * (a dialog, a page error, an error on the console).
 *
 * Nothing here sleeps: every wait is on a line, a process exit, a selector or a condition, each
 * with a bound.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli.js');
export const CHROMIUM = '/usr/bin/chromium';

/** Fails (never skips) when the console's UI is not built: the specs drive `dist/`. */
export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist', 'console-ui', 'index.html')) || !existsSync(CLI)) {
    throw new Error('the browser tests drive the built console (dist/cli.js, dist/console-ui/index.html): run `npm run build` first');
  }
}

/** Fails (never skips) without Chromium. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (\`sudo apt-get install chromium\`; .ci/run does it when it is missing)`);
  }
}

/** Resolves with the first match of `pattern` in the child's stdout so far, or rejects when the child exits or `ms` pass first. */
function waitForOutput(child: ChildProcessWithoutNullStreams, output: () => string, pattern: RegExp, ms: number, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const match = pattern.exec(output());
      if (match === null) return false;
      cleanup();
      resolve(match);
      return true;
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${what}: the process exited (${code}) before printing ${pattern}; it printed: ${output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: nothing matched ${pattern} within ${ms} ms; it printed: ${output()}`));
    }, ms);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', onExit);
    };
    if (check()) return;
    child.stdout.on('data', check);
    child.once('exit', onExit);
  });
}

/** A running `rxtel console` child process. */
export interface ConsoleProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly pid: number;
  readonly dir: string;
  /** Everything it printed so far. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM, wait for its exit (SIGKILL after 5 s), delete its folder. */
  stop(): Promise<void>;
}

/** Starts `node dist/cli.js console --port 0 --data <fresh temp folder> ...args` and waits for its first line. */
export async function startConsole(args: readonly string[] = []): Promise<ConsoleProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'rxtel-console-browser-'));
  const child = spawn(process.execPath, [CLI, 'console', '--port', '0', '--data', dir, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let match: RegExpExecArray;
  try {
    match = await waitForOutput(child, () => out, /^rxtel console \S+ on (http:\/\/127\.0\.0\.1:\d+)$/m, 10_000, 'rxtel console');
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: match[1]!,
    pid: child.pid!,
    dir,
    stdout: () => out,
    stderr: () => err,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(killer);
        }
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** What `rxtel demo --endpoint` did. */
export interface DemoRun {
  readonly code: number | null;
  readonly sessionId: string;
  readonly stdout: string;
}

/** Runs `node dist/cli.js demo --endpoint <url>` to its end (at most 20 s). */
export async function runDemo(url: string): Promise<DemoRun> {
  const child = spawn(process.execPath, [CLI, 'demo', '--endpoint', url], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rxtel demo did not end within 20 s; it printed: ${out}${err}`));
    }, 20_000);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const sessionId = /^session (\S+) → /m.exec(out)?.[1];
  if (sessionId === undefined) throw new Error(`rxtel demo printed no session line: ${out}${err}`);
  return { code, sessionId, stdout: out + err };
}

/** Headless Chromium as the tests drive it: no sandbox (CI runs as root), nothing in the background. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page whose dialogs, page errors and console errors are collected in `problems` (a dialog is dismissed). */
export async function watchedPage(browser: Browser, viewport = { width: 1400, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { page, problems };
}

/** The rows' `data-*` attribute `name`, in DOM order. */
export function rowAttributes(page: Page, selector: string, name: string): Promise<(string | null)[]> {
  return page.locator(selector).evaluateAll((rows, attribute) => rows.map((row) => row.getAttribute(attribute)), name);
}

/** An element, as far as the page callbacks use one (the project's tsconfig has no DOM lib). */
export interface PageElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  readonly tagName: string;
  readonly textContent: string | null;
  readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }>;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
}

/**
 * The page's globals, as far as the callbacks use them: `const { document } = globalThis as unknown as PageGlobals;`
 * inside a callback (it runs in the page, where `globalThis` is the window).
 */
export interface PageGlobals {
  readonly document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    readonly scripts: ArrayLike<{ readonly src: string }>;
  };
  readonly location: { readonly hash: string };
  __pwned?: unknown;
  __loadMark?: string;
}

/** Scrolls the event list to its bottom. */
export function scrollEventsToBottom(page: Page): Promise<void> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const scroller = document.querySelector('[data-testid="event-scroller"]');
    if (scroller === null) throw new Error('no event list');
    scroller.scrollTop = scroller.scrollHeight;
  });
}
