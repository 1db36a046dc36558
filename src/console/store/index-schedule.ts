/**
 * When the index is written: a second after the appends that changed it (one write for all the
 * appends of that second), at once after a change a crash should not lose (a new session, new
 * client facts, an eviction), and on close. One write at a time; a request during a write makes
 * one more write after it. A failed write is retried with the next request; only the last one, on
 * close, is reported.
 */

const DEBOUNCE_MS = 1000;

/**
 * Debounced index writes.
 *
 * @example
 * ```ts
 * const schedule = new IndexSchedule(() => writeIndex(dir, records()));
 * schedule.request();      // written within a second
 * schedule.request(true);  // written as soon as the current write (if any) is done
 * await schedule.flush();  // on close: written now, errors thrown
 * ```
 */
export class IndexSchedule {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly delayMs = DEBOUNCE_MS,
  ) {}

  /** Asks for a write: within `delayMs`, or as soon as possible when `soon`. */
  request(soon = false): void {
    this.dirty = true;
    if (this.timer !== undefined) {
      if (!soon) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => this.fire(), soon ? 0 : this.delayMs);
    this.timer.unref();
  }

  /** Writes now whatever was asked for (after a write under way), throwing what the write throws. */
  async flush(): Promise<void> {
    this.cancel();
    await this.running;
    if (!this.dirty) return;
    this.dirty = false;
    await this.write();
  }

  private fire(): void {
    this.timer = undefined;
    if (this.running !== undefined) return; // the running write's end looks again
    if (!this.dirty) return;
    this.dirty = false;
    this.running = this.write().then(
      () => {
        this.running = undefined;
        // Asked again while writing: write again (at once, the asking was a while ago).
        if (this.dirty && this.timer === undefined) this.request(true);
      },
      () => {
        // Not retried in a loop: the next request, or the close, tries again.
        this.running = undefined;
        this.dirty = true;
      },
    );
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
