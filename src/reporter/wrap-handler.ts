import { z } from 'zod';
import { func, integer } from '../schema/fields.js';
import { parseOptionsWith } from '../schema/parse.js';
import type { FlushResult, Reporter, WrapHandlerOptions } from './types.js';

/**
 * The default `flushBudgetMs`: one loopback or in-region round trip takes milliseconds, a slow
 * cross-region one a few hundred; a second covers that and a quick retry, yet is short beside a
 * function's own timeout and a user's patience. Past it the answer goes out and the rest waits
 * for the next invocation (see {@link wrapHandler}).
 */
export const DEFAULT_FLUSH_BUDGET_MS = 1000;

const WrapHandlerSchema = z.strictObject({
  flushBudgetMs: integer(0, 2 ** 31 - 1).default(DEFAULT_FLUSH_BUDGET_MS),
  waitUntil: func<(flushed: Promise<FlushResult>, ...args: never[]) => void>().optional(),
});

/**
 * Wraps a function handler for a reporter that lives across invocations (AWS Lambda, Vercel,
 * Cloud Run, Cloudflare Workers). When the handler returns or throws, what was accepted until
 * then is flushed — at most `flushBudgetMs`, and only the events accepted before the handler
 * ended: the wait ends as soon as those have settled (delivered or given up), whatever other
 * invocations log meanwhile. A throw or rejection is logged as {@link Reporter.logException}
 * does and re-thrown as the original value after the flush. With `waitUntil` the answer (or the
 * throw) comes at once and the flush goes to that hook instead.
 *
 * Events that did not settle within the budget are not lost: they stay queued, are counted in
 * the flush's `pending`, and go out with the next invocation's flush (which waits for them too,
 * within its own budget) or when the process is thawed and its timers run. With the durable spool
 * on (`spool.dir`) they are also on disk, so a frozen process that is discarded leaves them for the
 * next reporter on that directory to send.
 * Nothing here keeps the process alive after the wrapped call returns: the flush's hold ends
 * with it, and the reporter's own timers are unref'd.
 *
 * The wrapped handler takes the same arguments and `this`; it always answers a promise of the
 * handler's result (an async handler keeps its exact type).
 *
 * @throws ConfigError for a bad option (`flushBudgetMs` not an integer ≥ 0, `waitUntil` not a function).
 * @example
 * ```ts
 * // AWS Lambda (Node.js runtime): the reporter is made once per execution environment.
 * const reporter = createReporter({ endpoint: process.env.RXTEL_ENDPOINT });
 * export const handler = reporter.wrapHandler(async (event: { name: string }) => {
 *   reporter.log('greeting', { name: event.name });
 *   return { statusCode: 200, body: `hello ${event.name}` };
 * }, { flushBudgetMs: 1500 });
 * ```
 */
export function wrapHandler<A extends unknown[], R, T = unknown>(
  reporter: Reporter,
  handler: (this: T, ...args: A) => R,
  options: WrapHandlerOptions<A> = {},
): (this: T, ...args: A) => Promise<Awaited<R>> {
  const parsed = parseOptionsWith(WrapHandlerSchema, options, { owner: 'wrapHandler' });
  const budgetMs = parsed.flushBudgetMs;
  const waitUntil = parsed.waitUntil as WrapHandlerOptions<A>['waitUntil'];

  /** Starts the flush now (its target is read synchronously) and either hands it over or answers it. */
  const settle = (args: A): Promise<unknown> => {
    const flushed = safeFlush(reporter, budgetMs);
    if (waitUntil === undefined) return flushed;
    try {
      waitUntil(flushed, ...args);
    } catch {
      // A platform hook that throws must not replace the answer; the flush goes on regardless.
    }
    return Promise.resolve();
  };

  return async function wrapped(this: T, ...args: A): Promise<Awaited<R>> {
    let result: Awaited<R>;
    try {
      result = await handler.apply(this, args);
    } catch (thrown) {
      try {
        reporter.logException(thrown);
      } catch {
        // Reporting never replaces the application's own error.
      }
      await settle(args);
      throw thrown;
    }
    await settle(args);
    return result;
  };
}

/** The reporter's flush, as a promise that never rejects. */
function safeFlush(reporter: Reporter, budgetMs: number): Promise<FlushResult> {
  try {
    return reporter.flush(budgetMs).catch(() => ({ pending: 0 }));
  } catch {
    return Promise.resolve({ pending: 0 });
  }
}
