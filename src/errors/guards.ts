import { RXTEL_ERROR_BRAND, type RxtelError } from './rxtel-error.js';

/** `true` for any error rxtel created, across realms and duplicate installs of the package. */
export function isRxtelError(value: unknown): value is RxtelError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RXTEL_ERROR_BRAND] === true;
}
