import type { Logger } from './options.js';

/** Distinct reasons one {@link OncePerReason} remembers (and so logs) at most. */
export const MAX_REMEMBERED_REASONS = 64;

/**
 * Tells the logger each distinct reason once, in bounded memory: at most
 * {@link MAX_REMEMBERED_REASONS} reasons are remembered; past that, one last line says that new
 * reasons are no longer told (the counters still count every refusal).
 *
 * @example
 * ```ts
 * const once = new OncePerReason(logger, 'stats().dropped.invalid');
 * once.tell('track() refused …'); // logged
 * once.tell('track() refused …'); // the same reason: not again
 * ```
 */
export class OncePerReason {
  private readonly told = new Set<string>();
  private full = false;

  constructor(
    private readonly logger: Logger,
    /** Where the refusals are still counted, named in the last line. */
    private readonly countedIn: string,
    private readonly max = MAX_REMEMBERED_REASONS,
  ) {}

  tell(reason: string): void {
    if (this.told.has(reason) || this.full) return;
    if (this.told.size >= this.max) {
      this.full = true;
      this.logger.warn(`${this.max} different refusal reasons told; further new ones are not logged (still counted in ${this.countedIn})`);
      return;
    }
    this.told.add(reason);
    this.logger.warn(reason);
  }
}
