import { describe, expect, it } from '@jest/globals';
import { runReceiveCommand } from '../../src/receiver/cli.js';
import { makeBatch } from '../helpers/wire-fixtures.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  return {
    out,
    err,
    onLine: (listener: (line: string) => void) => listeners.push(listener),
    io: {
      stdout: (line: string) => {
        out.push(line);
        listeners.forEach((l) => l(line));
      },
      stderr: (line: string) => err.push(line),
    },
  };
}

describe('rxtel receive', () => {
  it.each([
    [['--port', 'abc'], /--port expects an integer from 0 to 65535, got `abc`/],
    [['--port'], /--port expects an integer.*got nothing/],
    [['--max-body-bytes', '0'], /--max-body-bytes/],
    [['--out'], /--out expects a value/],
    [['--verbose'], /unknown option --verbose/],
  ])('refuses %p with exit code 2', async (argv, message) => {
    const t = io();
    expect(await runReceiveCommand(argv, t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(message);
    expect(t.err.join('\n')).toMatch(/usage: rxtel receive/);
  });

  it('prints usage for --help', async () => {
    const t = io();
    expect(await runReceiveCommand(['--help'], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/usage: rxtel receive/);
  });

  it('runs, reports each batch, and exits 0 when told to stop', async () => {
    const t = io();
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
});
