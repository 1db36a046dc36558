import { Subject, type Observable } from 'rxjs';

/**
 * What the stop and fatal paths tell the sender: a deadline to fit retries into, and, once the
 * deadline has passed, that everything still queued or in flight is abandoned (aborted and
 * counted as `sendFailed`) so that the caller gets its answer on time.
 */
export class ShutdownState {
  private readonly deadlines = new Set<{ readonly atMs: number }>();
  private abandonedFlag = false;
  /** `true` once `stop()` began: ordinary events are refused from then on. */
  stopping = false;
  private readonly abandonSubject = new Subject<void>();

  /** Emits once, when the reporter gives up on what is still queued. */
  readonly abandon$: Observable<void> = this.abandonSubject.asObservable();

  get abandoned(): boolean {
    return this.abandonedFlag;
  }

  /** Adds a caller's deadline (absolute scheduler time) until the returned function removes it. */
  addDeadline(atMs: number): () => void {
    const deadline = { atMs };
    this.deadlines.add(deadline);
    return () => this.deadlines.delete(deadline);
  }

  /**
   * Milliseconds left before the latest deadline of the callers still waiting, or `undefined` when
   * nobody waits on one. The latest, not the earliest: a caller with a short deadline gets its own
   * answer at its deadline, but must not make the sender give up on events that a caller with a
   * longer one still waits for (an `installProcessHandlers` budget against the app's `stop(10000)`).
   */
  timeLeft(nowMs: number): number | undefined {
    let latest: number | undefined;
    for (const { atMs } of this.deadlines) latest = latest === undefined ? atMs : Math.max(latest, atMs);
    return latest === undefined ? undefined : Math.max(0, latest - nowMs);
  }

  /**
   * After an abandon has settled everything it gave up: new attempts may go out again (the last
   * health report, within what is left of the deadline).
   */
  resume(): void {
    this.abandonedFlag = false;
  }

  abandon(): void {
    if (this.abandonedFlag) return;
    this.abandonedFlag = true;
    // Never completed: `race` would take a completion for a winner.
    this.abandonSubject.next();
  }
}
