/** Small statistics helpers shared by the scenarios and the report. */

/** @param {number[]} sorted ascending @param {number} p 0..100 */
export const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const MB = 2 ** 20;

/** Runs `gc()` twice (when exposed) and returns memoryUsage(). */
export function settledMemory() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage();
}

/**
 * Resolves with what `promise` resolved to, or `'timeout'` after `ms`.
 * @template T @param {Promise<T>} promise @param {number} ms @returns {Promise<T | 'timeout'>}
 */
export function within(promise, ms) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
