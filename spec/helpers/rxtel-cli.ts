import { createServer, type AddressInfo } from 'node:net';
import { runCompiled, type ChildExit } from './child-process.js';

/**
 * Runs the `rxtel` command (src/cli.ts, as its bin runs it, from this run's compiled copy) in a
 * real child process and resolves when it exits. `onStdout` sees the output so far and may signal
 * the child.
 *
 * @example
 * ```ts
 * const { code, stdout } = await runRxtel(['--version']);
 * ```
 */
export function runRxtel(args: readonly string[], onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<ChildExit> {
  return runCompiled('src/cli.ts', args, {}, onStdout);
}

/** Holds a loopback port open (something else listening there) until `close()`. */
export async function holdPort(): Promise<{ readonly port: number; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
