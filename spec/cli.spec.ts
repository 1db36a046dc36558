import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli.js';

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
});
