/**
 * The store's change listeners: each is told about each session whose summary changed. A listener
 * that throws, or returns a promise that rejects, is ignored: it cannot break an append or keep the
 * others from hearing.
 */
import type { SessionSummary } from '../model.js';

type Listener = (session: SessionSummary) => void;

/**
 * A set of listeners that fail alone.
 *
 * @example
 * ```ts
 * const notifier = new Notifier();
 * const off = notifier.add((s) => console.log(s.id, s.events));
 * notifier.notify(summary);
 * off();
 * ```
 */
export class Notifier {
  private readonly listeners = new Set<Listener>();

  /** Adds `listener`; the answer removes it (the same function added twice is told once). */
  add(listener: Listener): () => void {
    if (typeof listener !== 'function') throw new TypeError('ConsoleStore.onChange: expected a function');
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  notify(session: SessionSummary): void {
    for (const listener of [...this.listeners]) {
      try {
        const answer: unknown = listener(session);
        if (typeof (answer as PromiseLike<unknown> | undefined)?.then === 'function') (answer as Promise<unknown>).then(undefined, () => undefined);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}
