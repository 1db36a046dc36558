import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a TypeScript fixture from spec/fixtures in a real child process (through ts-node's ESM
 * loader) and resolves when it exits. `onStdout` sees the output so far and may signal the child;
 * `nodeArgs` go to node before the fixture (e.g. `--expose-gc`).
 */
export function runFixture(
  name: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void,
  nodeArgs: readonly string[] = [],
): Promise<ChildExit> {
  const fixture = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--loader', 'ts-node/esm', '--no-warnings', ...nodeArgs, fixture, ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', TS_NODE_TRANSPILE_ONLY: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, (signal) => child.kill(signal));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
