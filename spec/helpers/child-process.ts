import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where this run's compiled copy of a source file is (jest's globalSetup, spec/setup/compile-fixtures.ts, made it). */
function compiled(path: string): string {
  const dir = process.env['RXTEL_FIXTURES_DIR'];
  if (dir === undefined) throw new Error('runFixture: RXTEL_FIXTURES_DIR is not set; run through jest (jest.config.ts globalSetup compiles the fixtures)');
  const file = join(dir, path.replace(/\.ts$/, '.js'));
  if (!existsSync(file)) throw new Error(`runFixture: no compiled ${file} (is ${path} there?)`);
  return file;
}

/**
 * Runs a fixture from spec/fixtures (named by its `.ts` file) in a real child process and resolves
 * when it exits. The child runs this run's compiled JavaScript of the fixture and of src/ with plain
 * `node`. `onStdout` sees the output so far and may signal the child; `nodeArgs` go to node before
 * the fixture (e.g. `--expose-gc`).
 */
export function runFixture(
  name: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void,
  nodeArgs: readonly string[] = [],
): Promise<ChildExit> {
  return runCompiled(join('spec', 'fixtures', name), args, env, onStdout, nodeArgs);
}

/** Runs this run's compiled copy of a file under the repository (`src/cli.ts`, a fixture) with plain `node`. */
export function runCompiled(
  path: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void,
  nodeArgs: readonly string[] = [],
): Promise<ChildExit> {
  const file = compiled(path);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', ...nodeArgs, file, ...args], {
      cwd: root,
      // NODE_OPTIONS: not jest's --experimental-vm-modules (a test may set its own).
      env: { ...process.env, NODE_OPTIONS: '', ...env },
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
