import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli.js';
import { VERSION } from '../src/version.js';
import { holdPort, runRxtel } from './helpers/rxtel-cli.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) } };
}

describe('rxtel', () => {
  it.each([[[]], [['help']], [['--help']]])('prints usage for %p', async (argv) => {
    const t = io();
    expect(await main(argv, t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/usage: rxtel <command>/);
  });

  it('refuses an unknown command with exit code 2', async () => {
    const t = io();
    expect(await main(['nope'], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(/unknown command `nope`/);
  });

  it('runs the demo', async () => {
    const t = io();
    expect(await main(['demo'], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/events stored: 8/);
  });

  it.each([[['--help']], [['-h']]])('describes every command and option for %p', async (argv) => {
    const t = io();
    expect(await main(argv, t.io)).toBe(0);
    const help = t.out.join('\n');
    for (const command of ['receive', 'demo', 'help']) expect(help).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    expect(help).toMatch(/^ {2}-h, --help +\S/m);
    expect(help).toMatch(/^ {2}-v, --version +\S/m);
  });

  it.each([[['--version']], [['-v']]])('prints the version for %p', async (argv) => {
    const t = io();
    expect(await main(argv, t.io)).toBe(0);
    expect(t.out).toEqual([VERSION]);
  });

  it.each([
    [['--verbose'], /^rxtel: unknown option --verbose$/m],
    [['--version=1'], /^rxtel: --version takes no value$/m],
    [['--version', 'receive'], /^rxtel: unexpected argument `receive`$/m],
  ])('refuses %p with exit code 2', async (argv, message) => {
    const t = io();
    expect(await main(argv, t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(message);
  });

  describe('as a process', () => {
    it('rxtel --version prints the version and exits 0', async () => {
      const exit = await runRxtel(['--version']);
      expect(exit).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    });

    it('rxtel receive on a port in use prints one line, no stack, and exits 1', async () => {
      const held = await holdPort();
      try {
        const exit = await runRxtel(['receive', `--port=${held.port}`]);
        expect(exit.code).toBe(1);
        expect(exit.stdout).toBe('');
        expect(exit.stderr).toBe(`rxtel receive: 127.0.0.1:${held.port} is already in use (EADDRINUSE): stop what listens there, or pick another --port (0 picks a free one)\n`);
      } finally {
        await held.close();
      }
    });
  });
});
