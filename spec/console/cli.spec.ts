import { afterEach, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConsoleCommand } from '../../src/console/cli.js';
import { VERSION } from '../../src/version.js';
import { holdPort } from '../helpers/rxtel-cli.js';
import { makeBatch } from '../helpers/wire-fixtures.js';
import { captureIo } from '../helpers/cli-io.js';


const folders: string[] = [];
const folder = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rxtel-console-cli-'));
  folders.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('rxtel console', () => {
  it.each([
    [['--port', 'abc'], /--port expects an integer from 0 to 65535, got `abc`/],
    [['--max-mb', '0'], /--max-mb expects an integer from 1/],
    [['--data'], /--data expects a value/],
    [['--verbose'], /unknown option --verbose/],
  ])('refuses %p with exit code 2 and the usage line', async (argv, message) => {
    const t = captureIo();
    expect(await runConsoleCommand(argv, t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(message);
    expect(t.err.join('\n')).toMatch(/usage: rxtel console/);
  });

  it('describes every option in --help, and prints its version', async () => {
    const t = captureIo();
    expect(await runConsoleCommand(['--help'], t.io)).toBe(0);
    const help = t.out.join('\n');
    for (const option of ['--port', '--host', '--data', '--max-mb', '--api-key', '--open', '--help', '--version']) expect(help).toContain(option);
    expect(await runConsoleCommand(['--version'], t.io)).toBe(0);
    expect(t.out.at(-1)).toBe(VERSION);
  });

  it('says in one line that the port is in use, and exits 1', async () => {
    const held = await holdPort();
    try {
      const t = captureIo();
      expect(await runConsoleCommand(['--port', String(held.port), '--data', await folder()], t.io)).toBe(1);
      expect(t.err).toEqual([`rxtel console: 127.0.0.1:${held.port} is already in use (EADDRINUSE): stop what listens there, or pick another --port (0 picks a free one)`]);
    } finally {
      await held.close();
    }
  });

  it('warns before listening anywhere but loopback (an address this machine does not have: nothing opens)', async () => {
    const t = captureIo();
    expect(await runConsoleCommand(['--port', '0', '--host', '192.0.2.1', '--data', await folder()], t.io)).toBe(1);
    expect(t.err[0]).toMatch(/warning: listening on 192\.0\.2\.1, not loopback: anyone who can reach this machine can read what the console stores and send to it \(give --api-key/);
    expect(t.err[1]).toMatch(/192\.0\.2\.1 is not an address of this machine \(EADDRNOTAVAIL\)/);
  });

  it('prints where to point apps, one line per new session (not per batch), and stops cleanly', async () => {
    const t = captureIo();
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const listening = new Promise<string>((resolve) =>
      t.onLine((line) => {
        const url = /^rxtel console \S+ on (http:\/\/\S+)/.exec(line)?.[1];
        if (url !== undefined) resolve(url);
      }),
    );
    const dir = await folder();
    const running = runConsoleCommand(['--port', '0', '--data', dir], t.io, stopSignal);
    const url = await listening;
    expect(t.out.join('\n')).toContain(`createReporter({ endpoint: '${url}' })`);
    expect(t.out.join('\n')).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=${url}`);
    expect(t.out.join('\n')).toContain(dir);
    const batch = makeBatch(3);
    for (let i = 0; i < 3; i++) {
      const part = { ...batch, events: batch.events.map((event) => ({ ...event, event_id: `${event.event_id}-${i}` })) };
      const response = await fetch(`${url}/api/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(part) });
      expect(response.status).toBe(200);
    }
    stop();
    expect(await running).toBe(0);
    expect(t.out.filter((line) => line.startsWith('session '))).toEqual([`session ${batch.session_id} (tinker)`]);
    expect(t.out.at(-1)).toBe(`stopped; 1 sessions, 9 events kept in ${dir}`);
  });
});

describe('rxtel console on a folder in use', () => {
  it('says in one line that another console holds the folder, and exits 1', async () => {
    const dir = await folder();
    let stop!: () => void;
    const first = captureIo();
    const listening = new Promise<void>((resolve) => first.onLine((line) => line.startsWith('rxtel console ') && resolve()));
    const running = runConsoleCommand(['--port', '0', '--data', dir], first.io, new Promise<void>((resolve) => (stop = resolve)));
    await listening;
    const second = captureIo();
    expect(await runConsoleCommand(['--port', '0', '--data', dir], second.io)).toBe(1);
    expect(second.err).toEqual([`rxtel console: ${dir} is in use by another rxtel console (pid ${process.pid}): stop it, or pick another --data`]);
    stop();
    expect(await running).toBe(0);
  });
});

describe('rxtel console --open', () => {
  it('opens the UI with the desktop opener (xdg-open here), and a missing opener is one line, not an exit', async () => {
    const bin = await folder();
    const record = join(bin, 'opened');
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > "${record}.tmp" && mv "${record}.tmp" "${record}"\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    const path = process.env['PATH'];
    for (const [dirs, expectOpened] of [[`${bin}:${path}`, true], [bin.replace(/$/, '-absent'), false]] as const) {
      process.env['PATH'] = dirs;
      const t = captureIo();
      let stop!: () => void;
      const url = new Promise<string>((resolve) => t.onLine((line) => /^rxtel console \S+ on (\S+)/.exec(line)?.[1] !== undefined && resolve(/on (\S+)/.exec(line)![1]!)));
      const running = runConsoleCommand(['--port', '0', '--data', await folder(), '--open'], t.io, new Promise<void>((resolve) => (stop = resolve)));
      const base = await url;
      try {
        if (expectOpened) {
          // The opener runs detached: wait for what it wrote (bounded by the test's timeout).
          let opened: string | undefined;
          while (opened === undefined) opened = await readFile(record, 'utf8').catch(() => new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined))));
          expect(opened).toBe(`${base}/`);
        } else {
          while (t.err.length === 0) await new Promise((resolve) => setImmediate(resolve));
          expect(t.err).toEqual([`rxtel console: could not open a browser (spawn xdg-open ENOENT); open ${base}/ yourself`]);
        }
      } finally {
        process.env['PATH'] = path;
        stop();
        expect(await running).toBe(0);
      }
    }
  });
});
