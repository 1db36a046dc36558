import { describe, expect, it } from '@jest/globals';
import { runReceiveCommand } from '../../src/receiver/cli.js';
import { VERSION } from '../../src/version.js';
import { holdPort, runRxtel } from '../helpers/rxtel-cli.js';
import { makeBatch } from '../helpers/wire-fixtures.js';
import { captureIo } from '../helpers/cli-io.js';


describe('rxtel receive', () => {
  it.each([
    [['--port', 'abc'], /--port expects an integer from 0 to 65535, got `abc`/],
    [['--port'], /--port expects an integer.*got nothing/],
    [['--max-body-bytes', '0'], /--max-body-bytes/],
    [['--out'], /--out expects a value/],
    [['--verbose'], /unknown option --verbose/],
  ])('refuses %p with exit code 2', async (argv, message) => {
    const t = captureIo();
    expect(await runReceiveCommand(argv, t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(message);
    expect(t.err.join('\n')).toMatch(/usage: rxtel receive/);
  });

  it('prints usage for --help', async () => {
    const t = captureIo();
    expect(await runReceiveCommand(['--help'], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/usage: rxtel receive/);
  });

  it('runs, reports each batch, and exits 0 when told to stop', async () => {
    const t = captureIo();
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const listening = new Promise<string>((resolve) =>
      t.onLine((line) => {
        const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (url !== undefined) resolve(url);
      }),
    );
    const running = runReceiveCommand(['--port', '0'], t.io, stopSignal);
    const url = await listening;
    const batch = makeBatch(3);
    const response = await fetch(`${url}/api/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    expect(response.status).toBe(200);
    stop();
    expect(await running).toBe(0);
    expect(t.out).toContain(`3 events from session ${batch.session_id}`);
    expect(t.out.at(-1)).toBe('stored 3 events (0 duplicates ignored)');
  });

  /** Runs the command until it listens, posts one batch of `n` events, stops it; resolves to what it printed and returned. */
  async function serveOnce(argv: readonly string[], n = 2) {
    const t = captureIo();
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const listening = new Promise<string>((resolve) =>
      t.onLine((line) => {
        const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (url !== undefined) resolve(url);
      }),
    );
    const running = runReceiveCommand(argv, t.io, stopSignal);
    const url = await listening;
    const response = await fetch(`${url}/api/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(makeBatch(n)) });
    stop();
    return { ...t, code: await running, status: response.status, url };
  }

  it.each([[['--port=0']], [['-p', '0']], [['-p0']], [['--port', '0', '--host=127.0.0.1']]])('reads %p the same way', async (argv) => {
    const run = await serveOnce(argv);
    expect(run.code).toBe(0);
    expect(run.status).toBe(200);
    expect(run.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.out.at(-1)).toBe('stored 2 events (0 duplicates ignored)');
  });

  it('takes a value that starts with dashes when it is written inline', async () => {
    const run = await serveOnce(['--port=0', '--api-key=--k--']);
    expect(run.status).toBe(401);
    expect(run.code).toBe(0);
  });

  it('describes every option in --help, the defaults with them', async () => {
    const t = captureIo();
    expect(await runReceiveCommand(['--help'], t.io)).toBe(0);
    const help = t.out.join('\n');
    for (const option of ['-p, --port PORT', '--host HOST', '-o, --out FILE', '--api-key KEY', '--max-body-bytes BYTES', '-h, --help', '-v, --version']) {
      expect(help).toMatch(new RegExp(`^ +${option.replace(/[-]/g, '\\-')} +\\S.*$`, 'm'));
    }
    expect(help).toMatch(/default 4318/);
    expect(help).toMatch(/default 1048576/);
  });

  it('prints the version for --version', async () => {
    const t = captureIo();
    expect(await runReceiveCommand(['--version'], t.io)).toBe(0);
    expect(t.out).toEqual([VERSION]);
  });

  it.each([
    [['--port=65536'], /^rxtel receive: --port expects an integer from 0 to 65535, got `65536`$/m],
    [['--port', '--host', 'x'], /^rxtel receive: --port expects an integer from 0 to 65535, got nothing$/m],
    [['--help=yes'], /^rxtel receive: --help takes no value$/m],
    [['4318'], /^rxtel receive: unexpected argument `4318`$/m],
  ])('refuses %p with one line and exit code 2', async (argv, message) => {
    const t = captureIo();
    expect(await runReceiveCommand(argv, t.io)).toBe(2);
    const [line, usage, ...more] = t.err.join('\n').split('\n');
    expect(line).toMatch(message);
    expect(usage).toMatch(/^usage: rxtel receive/);
    expect(more).toEqual([]);
  });

  it('says in one line that the port is in use and returns 1', async () => {
    const held = await holdPort();
    try {
      const t = captureIo();
      expect(await runReceiveCommand(['--port', String(held.port)], t.io)).toBe(1);
      expect(t.err).toEqual([`rxtel receive: 127.0.0.1:${held.port} is already in use (EADDRINUSE): stop what listens there, or pick another --port (0 picks a free one)`]);
      expect(t.out).toEqual([]);
    } finally {
      await held.close();
    }
  });

  describe('as a process', () => {
    it('rxtel receive --port=0 serves until SIGTERM, then exits 0', async () => {
      let posted: Promise<number> | undefined;
      const exit = await runRxtel(['receive', '--port=0'], (text, kill) => {
        const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
        if (url === undefined || posted !== undefined) return;
        const body = JSON.stringify(makeBatch(3));
        posted = fetch(`${url}/api/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => {
          kill('SIGTERM');
          return r.status;
        });
      });
      expect(await posted).toBe(200);
      expect(exit.code).toBe(0);
      expect(exit.stderr).toBe('');
      expect(exit.stdout).toMatch(/^3 events from session /m);
      expect(exit.stdout.trimEnd().split('\n').at(-1)).toBe('stored 3 events (0 duplicates ignored)');
    });

    it('rxtel receive --port=70000 says why in one line and exits 2', async () => {
      const exit = await runRxtel(['receive', '--port=70000']);
      expect(exit.code).toBe(2);
      expect(exit.stdout).toBe('');
      expect(exit.stderr.split('\n')[0]).toBe('rxtel receive: --port expects an integer from 0 to 65535, got `70000`');
      expect(exit.stderr).not.toMatch(/^\s+at /m);
    });
  });
});
