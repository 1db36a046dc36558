/** Names one summary lists at most; the rest are added up under {@link OTHER_NAMES}. */
export const MAX_SUPPRESSED_NAMES = 100;
/** The key under which names past {@link MAX_SUPPRESSED_NAMES} are counted together. */
export const OTHER_NAMES = '(other names)';

/**
 * What the rate limit refused, per `event_name`, since the last `rxtel.rate_limited` summary. The
 * rate-limit step writes it; the health monitor takes it when it reports. Bounded whatever the
 * names: at most {@link MAX_SUPPRESSED_NAMES} names (of at most 256 characters each) are kept.
 */
export class SuppressedNames {
  private counts = new Map<string, number>();

  add(name: string): void {
    const count = this.counts.get(name);
    if (count !== undefined) this.counts.set(name, count + 1);
    else if (this.counts.size < MAX_SUPPRESSED_NAMES) this.counts.set(name, 1);
    else this.counts.set(OTHER_NAMES, (this.counts.get(OTHER_NAMES) ?? 0) + 1);
  }

  get empty(): boolean {
    return this.counts.size === 0;
  }

  /** The counts so far, as `{ name: suppressed }`. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    // defineProperty: a name such as `__proto__` is an ordinary key here.
    for (const [name, count] of this.counts) Object.defineProperty(out, name, { value: count, enumerable: true, writable: true, configurable: true });
    return out;
  }

  /** The summary was taken: start counting afresh. */
  clear(): void {
    this.counts = new Map();
  }
}
