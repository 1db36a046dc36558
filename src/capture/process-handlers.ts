import { inspect } from 'node:util';
import { delay } from '../platform/node.js';
import type { Reporter } from '../reporter/types.js';

/** Options of {@link installProcessHandlers}. */
export interface ProcessHandlerOptions {
  /**
   * Time the fatal path, the signal path and the end at `beforeExit` may take before the process
   * goes on as Node would. It bounds only the handler's own wait: an application that awaits its
   * own `stop(longer)` still waits up to its own deadline. @defaultValue 2000
   */
  readonly fatalTimeoutMs?: number;
  /** Handle SIGTERM and SIGINT. @defaultValue true */
  readonly signals?: boolean;
}

type RejectionMode = 'throw' | 'strict' | 'warn' | 'warn-with-error-code' | 'none';

/** Node's `--unhandled-rejections` mode, from the process's flags or NODE_OPTIONS. */
function rejectionMode(): RejectionMode {
  const flags = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  const flag = flags.reverse().find((f) => f.startsWith('--unhandled-rejections='));
  const mode = flag?.split('=')[1];
  return mode === 'strict' || mode === 'warn' || mode === 'warn-with-error-code' || mode === 'none' ? mode : 'throw';
}

/** What Node prints for an uncaught value. */
function describeUncaught(value: unknown): string {
  return value instanceof Error && typeof value.stack === 'string' ? value.stack : `Uncaught ${inspect(value)}`;
}

const installed = new WeakMap<Reporter, () => void>();

/** Resolves when `work` settles or the budget runs out, whichever comes first; never rejects. */
async function within(budgetMs: number, work: () => Promise<unknown>): Promise<void> {
  const budget = new AbortController();
  try {
    await Promise.race([work().catch(() => undefined), delay(budgetMs, { signal: budget.signal }).catch(() => undefined)]);
  } finally {
    budget.abort();
  }
}

/**
 * Wires a reporter to the process: an uncaught exception or unhandled rejection goes through
 * the fatal path (exception + SESSION_END, drained within `fatalTimeoutMs`), then the process
 * does what Node would have done — print the error and exit with code 1 — unless the application
 * has its own listeners for that event. SIGTERM/SIGINT stop the reporter within the budget, then
 * the process ends by the same signal (unless the application listens for it too). A process that
 * ends by itself (`beforeExit`) stops the reporter once: SESSION_END, drained within the budget.
 * The budget bounds the handler's own wait only: an application that awaits `stop(longer)` itself
 * gets its longer wait. Returns the function that uninstalls everything. Installing twice, or on a
 * disabled reporter, is harmless.
 *
 * @example
 * ```ts
 * const uninstall = installProcessHandlers(reporter, { fatalTimeoutMs: 3000 });
 * ```
 */
export function installProcessHandlers(reporter: Reporter, options: ProcessHandlerOptions = {}): () => void {
  if (!reporter.enabled) return () => undefined;
  const existing = installed.get(reporter);
  if (existing !== undefined) return existing;
  const budgetMs = options.fatalTimeoutMs ?? 2000;
  const others = (event: string, self: (...args: never[]) => void) => process.listeners(event as 'exit').filter((l) => l !== self).length;

  const fatal = async (value: unknown, event: 'uncaughtException' | 'unhandledRejection', self: (...args: never[]) => void) => {
    await within(budgetMs, () => reporter.logFatalException(value));
    if (others(event, self) > 0) return; // The application handles it; do not kill it.
    process.stderr.write(`${describeUncaught(value)}\n`);
    process.exit(1);
  };

  const onUncaught = (error: unknown) => void fatal(error, 'uncaughtException', onUncaught);
  const onRejection = (reason: unknown) => {
    const mode = rejectionMode();
    if (mode === 'throw' || mode === 'strict') return void fatal(reason, 'unhandledRejection', onRejection);
    reporter.logException(reason);
    if (mode === 'warn' || mode === 'warn-with-error-code') process.stderr.write(`(rxtel) unhandled rejection: ${describeUncaught(reason)}\n`);
    if (mode === 'warn-with-error-code') process.exitCode = 1;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void within(budgetMs, () => reporter.stop(budgetMs)).then(() => {
      if (others(signal, onSignal) > 0) return;
      uninstall();
      process.kill(process.pid, signal); // End as the signal would have, exit status included.
    });
  };
  let ended = false;
  const onBeforeExit = () => {
    // The loop ran dry without stop(): end the session as stop() would. beforeExit fires again once
    // the stop's own work is done; by then there is nothing left to do, so this runs once.
    if (ended) return;
    ended = true;
    void within(budgetMs, () => reporter.stop(budgetMs));
  };

  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  process.on('beforeExit', onBeforeExit);
  const signals: NodeJS.Signals[] = options.signals === false ? [] : ['SIGTERM', 'SIGINT'];
  for (const signal of signals) process.on(signal, onSignal);

  const uninstall = () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onRejection);
    process.off('beforeExit', onBeforeExit);
    for (const signal of signals) process.off(signal, onSignal);
    installed.delete(reporter);
  };
  installed.set(reporter, uninstall);
  return uninstall;
}
