/**
 * What one event's data may cost to make plain JSON. Depth, key and item limits bound the shape of
 * the result, not the work: nine nested arrays of 1,000 references to one object are 1,000⁹ paths
 * to walk in a result that is never more than 1,000 items wide. The budget bounds the work itself,
 * and derives it from `maxEventBytes`, the size an event may have at all.
 */

/** The `maxEventBytes` option's default, for callers that have no option at hand (exception messages, content sizes). */
export const DEFAULT_MAX_EVENT_BYTES = 65_536;

/**
 * JSON bytes a walk may produce: four times what an event may hold. The slack is for data that
 * redaction or content replacement brings back under `maxEventBytes` (a large subtree under a
 * `password` key becomes `"[REDACTED]"`), and lets data that is only somewhat too large be
 * measured exactly (`original_bytes`).
 */
export const byteBudget = (maxEventBytes: number = DEFAULT_MAX_EVENT_BYTES): number => 4 * maxEventBytes;

/**
 * Values visited plus keys enumerated: `maxEventBytes / 2`. Every JSON value takes at least two
 * bytes with its separator, so data that fits in `maxEventBytes` never runs out; a structure that
 * is wide but empty (1,000 × 1,000 `undefined`, a 100,000-key object) does.
 */
export const nodeBudget = (maxEventBytes: number = DEFAULT_MAX_EVENT_BYTES): number => Math.floor(maxEventBytes / 2);

/** The running count of one walk. `bytes` is a lower bound of the output's JSON size: lengths of strings and keys, quotes, one byte per number. */
export class WorkBudget {
  bytes = 0;
  nodes = 0;
  readonly maxBytes: number;
  readonly maxNodes: number;

  constructor(maxEventBytes: number = DEFAULT_MAX_EVENT_BYTES) {
    this.maxBytes = byteBudget(maxEventBytes);
    this.maxNodes = nodeBudget(maxEventBytes);
  }

  get spent(): boolean {
    return this.nodes > this.maxNodes || this.bytes > this.maxBytes;
  }
}

/** What an event carries when its data ran out of budget: a lower bound, never labelled as the exact size. */
export interface OverBudget {
  readonly truncated: true;
  /** JSON bytes the sanitiser had produced when it stopped: the whole data is at least this large. */
  readonly original_bytes_at_least: number;
}

export const overBudget = (bytes: number): OverBudget => ({ truncated: true, original_bytes_at_least: bytes });
