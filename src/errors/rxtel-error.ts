/**
 * The base class of every error rxtel creates. Use {@link isRxtelError} to test for it: the guard
 * works across realms and duplicate copies of the package, where `instanceof` would not.
 *
 * @example
 * ```ts
 * try { createReporter({ maxBatchSize: 0 }); } catch (e) { if (isRxtelError(e)) console.error(e.code); }
 * ```
 */
export class RxtelError extends Error {
  /** A stable machine-readable code, such as `ERR_RXTEL_CONFIG`. */
  readonly code: string;

  constructor(message: string, code = 'ERR_RXTEL', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RxtelError';
    this.code = code;
  }
}

/** Brand checked by {@link isRxtelError}; a symbol from the global registry survives duplicate installs. */
export const RXTEL_ERROR_BRAND = Symbol.for('rxtel.error');
Object.defineProperty(RxtelError.prototype, RXTEL_ERROR_BRAND, { value: true });
