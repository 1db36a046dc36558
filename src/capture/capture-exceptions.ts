import type { SeverityInput } from '../events/severity.js';
import type { Reporter } from '../reporter/types.js';

/** Options of {@link captureExceptions} and {@link captured}. */
export interface CaptureOptions {
  /** Report through the fatal path (exception + SESSION_END, drained) before re-throwing. @defaultValue false */
  readonly fatal?: boolean;
  /** Severity of the reported exception. @defaultValue ERROR (CRITICAL when fatal) */
  readonly severity?: SeverityInput;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';

/** Reports `thrown`; never throws itself. Fatal reports are awaited (bounded by `flushTimeoutMs`). */
async function reportAsync(reporter: Reporter | null, thrown: unknown, options: CaptureOptions): Promise<void> {
  if (reporter === null) return;
  try {
    if (options.fatal === true) await reporter.logFatalException(thrown, options.severity);
    else reporter.logException(thrown, options.severity);
  } catch {
    // Reporting must never replace the application's own error.
  }
}

function reportSync(reporter: Reporter | null, thrown: unknown, options: CaptureOptions): void {
  if (reporter === null) return;
  try {
    if (options.fatal === true) void reporter.logFatalException(thrown, options.severity).catch(() => undefined);
    else reporter.logException(thrown, options.severity);
  } catch {
    // As above.
  }
}

/**
 * Runs `fn` and reports anything it throws or rejects with — an Error or not — then re-throws
 * the original value. A sync `fn` returns its value; an async one a promise of it. With
 * `fatal: true` an async failure is re-thrown only after the fatal path has drained; a sync one
 * is re-thrown at once (a sync caller cannot wait) while the fatal path runs.
 *
 * @example
 * ```ts
 * const rows = await captureExceptions(reporter, () => db.query(sql));
 * captureExceptions(reporter, () => JSON.parse(text), { severity: 'WARNING' });
 * ```
 */
export function captureExceptions<T>(reporter: Reporter | null, fn: () => T, options: CaptureOptions = {}): T {
  let result: T;
  try {
    result = fn();
  } catch (thrown) {
    reportSync(reporter, thrown, options);
    throw thrown;
  }
  if (!isThenable(result)) return result;
  return Promise.resolve(result).catch(async (thrown: unknown) => {
    await reportAsync(reporter, thrown, options);
    throw thrown;
  }) as T;
}

/** What `@captured` looks for on `this`: like the tinker SDK's telemetry provider classes. */
export interface TelemetryProvider {
  getTelemetry(): Reporter | null;
}

/**
 * A TypeScript 5 (standard) method decorator: the method's failures are reported through the
 * reporter that `this.getTelemetry()` returns, then re-thrown, as {@link captureExceptions} does.
 *
 * @example
 * ```ts
 * class Client implements TelemetryProvider {
 *   getTelemetry() { return this.reporter; }
 *   @captured({ severity: 'ERROR' }) async fetchModel(id: string) { … }
 * }
 * ```
 */
export function captured(options: CaptureOptions = {}) {
  return function <This, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => Return,
    _context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return {
    return function (this: This, ...args: Args): Return {
      let reporter: Reporter | null = null;
      try {
        const provider = this as unknown as Partial<TelemetryProvider>;
        reporter = typeof provider.getTelemetry === 'function' ? provider.getTelemetry() : null;
      } catch {
        reporter = null;
      }
      return captureExceptions(reporter, () => method.apply(this, args), options);
    };
  };
}
