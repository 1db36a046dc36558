import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A value that follows the asynchronous flow of control: set for the duration of `run`, read with
 * `get` anywhere below it — after `await`s, in timers, promise callbacks and event listeners
 * called from inside it. Node's `AsyncLocalStorage` (node:async_hooks), kept here because it is
 * the platform's.
 */
export interface ContextStorage<T> {
  /** The value of the innermost `run` this code runs under, or `undefined`. One `getStore()`. */
  get(): T | undefined;
  /** Runs `fn` with `value` as the current value, and returns what `fn` returns. */
  run<R>(value: T, fn: () => R): R;
}

/**
 * A new, independent {@link ContextStorage}.
 *
 * @example
 * ```ts
 * const storage = contextStorage<{ requestId: string }>();
 * storage.run({ requestId: 'r-1' }, async () => {
 *   await somethingSlow();
 *   storage.get(); // { requestId: 'r-1' }
 * });
 * ```
 */
export function contextStorage<T>(): ContextStorage<T> {
  const als = new AsyncLocalStorage<T>();
  return {
    get: () => als.getStore(),
    run: (value, fn) => als.run(value, fn),
  };
}
