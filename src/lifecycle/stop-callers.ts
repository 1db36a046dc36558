import { BehaviorSubject, defer, firstValueFrom, map, mergeMap, NEVER, of, race, switchMap, take, timer, type Observable, type SchedulerLike } from 'rxjs';
import { holdProcessOpen } from '../platform/node.js';
import type { ShutdownState } from '../sender/shutdown-state.js';

/** What the stop sequence is told about its callers' deadlines. */
export interface StopDeadline {
  /** The latest deadline of any caller so far (absolute scheduler time, whole milliseconds). */
  readonly latestMs: number;
  /** Emits once, when the latest deadline has passed; a later caller moves it on before then. */
  readonly passed$: Observable<void>;
  /** Like `passed$`, `reserveMs(latest)` milliseconds before the latest deadline: time kept back for a last word. */
  before(reserveMs: (latestMs: number) => number): Observable<void>;
}

/**
 * Everyone who called `stop()`. The stop sequence (SESSION_END once, drain, abandon what is left,
 * close the sinks) runs once, and gives up only when the latest caller's deadline has passed; each
 * caller waits up to its own deadline and gets its own answer: the sequence's, or `false` when its
 * deadline came first. While it waits, a caller's deadline bounds the sender's retries (with the
 * others still waiting) and the process is held open for it. Once the sequence has finished, every
 * call gets the same settled promise and holds nothing open.
 *
 * Deadlines are whole milliseconds (rounded up): callers with the same deadline — `stop()` twice
 * in a row — share one promise.
 */
export class StopCallers {
  private readonly latest = new BehaviorSubject<number>(Number.NEGATIVE_INFINITY);
  private readonly waiting = new Map<number, Promise<boolean>>();
  private running: Promise<boolean> | undefined;
  private finished: Promise<boolean> | undefined;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly shutdown: ShutdownState,
    private readonly sequence: (deadline: StopDeadline) => Promise<boolean>,
  ) {}

  stop(timeoutMs: number): Promise<boolean> {
    if (this.finished !== undefined) return this.finished;
    const deadline = Math.ceil(this.scheduler.now() + timeoutMs);
    const shared = this.waiting.get(deadline);
    if (shared !== undefined) return shared;
    if (deadline > this.latest.value) this.latest.next(deadline);
    // Registered before the sequence starts sending: its first attempt already knows the budget.
    const release = this.shutdown.addDeadline(deadline);
    const hold = holdProcessOpen(deadline - this.scheduler.now());
    const running = (this.running ??= this.start());
    const answer = this.answer(running, deadline).finally(() => {
      release();
      hold();
      this.waiting.delete(deadline);
    });
    this.waiting.set(deadline, answer);
    return answer;
  }

  private start(): Promise<boolean> {
    const scheduler = this.scheduler;
    const latest = this.latest;
    const before = (reserveMs: (latestMs: number) => number): Observable<void> =>
      latest.pipe(
        switchMap((atMs) => timer(Math.max(0, atMs - reserveMs(atMs) - scheduler.now()), scheduler)),
        take(1),
        map(() => undefined),
      );
    const deadline: StopDeadline = {
      get latestMs() {
        return latest.value;
      },
      passed$: before(() => 0),
      before,
    };
    return this.sequence(deadline)
      .catch(() => false)
      .then((result) => {
        this.finished = Promise.resolve(result);
        return result;
      });
  }

  private answer(running: Promise<boolean>, deadline: number): Promise<boolean> {
    const done$ = defer(() => running);
    const late$ = timer(Math.max(0, deadline - this.scheduler.now()), this.scheduler).pipe(
      // The latest caller's answer is the sequence's own: it gives up at this very deadline and
      // answers once what was abandoned has settled. Never completes: `race` would take that for a winner.
      mergeMap(() => (deadline < this.latest.value ? of(false) : NEVER)),
    );
    return firstValueFrom(race(done$, late$));
  }
}
