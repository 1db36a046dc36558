/**
 * The spool's options. The reporter validates its own `spool` option (a `ConfigError` for invalid
 * values) and passes resolved values here; this module only checks what the engine relies on, so
 * that `Spool.open` never throws.
 */
import type { SchedulerLike } from 'rxjs';

/** How a {@link Spool} is opened. */
export interface SpoolOptions {
  /** The spool directory; created if missing. Several processes may share it. */
  readonly dir: string;
  /** Bytes on disk (live segments, claimed owners' included) plus bytes pending write, at most. */
  readonly maxBytes: number;
  /** Group writes at most this far apart (the reporter's default: 100). Also paces fsync and cursor files. */
  readonly writeIntervalMs: number;
  /**
   * `'interval'`: fdatasync after each group write, at most one per interval (a power loss loses
   * about one interval); `'never'`: the kernel writes back when it likes (a process crash loses
   * nothing written; a power loss may lose about 30 s).
   */
  readonly fsync: 'interval' | 'never';
  /**
   * A segment is sealed and a new one started when the next record would pass this.
   * @defaultValue min(8 MiB, maxBytes / 16), at least 4 KiB
   */
  readonly segmentBytes?: number;
  /** A whole frame (21 bytes + the payload's UTF-8) longer than this is refused on append and is corruption on read. */
  readonly maxRecordBytes: number;
  /** Sink names; a record's `sinkMask` bit i means `sinks[i]` (at most 32). */
  readonly sinks: readonly string[];
  /** Every pacing timer goes through it (unref'd in production). */
  readonly scheduler: SchedulerLike;
  /** One warning per problem: a fall-back, corruption found, a foreign file left alone. */
  readonly logger: { warn(message: string): void };
  /**
   * How often `owner.json` is touched (real time), for processes on other hosts that can only
   * judge liveness by its age.
   * @defaultValue 5000
   */
  readonly heartbeatMs?: number;
}

/** The options with defaults applied. */
export interface ResolvedSpoolOptions extends Required<SpoolOptions> {
  readonly segmentBytes: number;
  readonly heartbeatMs: number;
}

const MIB = 1024 * 1024;

/** The resolved options, or what is wrong with them. */
export function resolveSpoolOptions(options: SpoolOptions | undefined): ResolvedSpoolOptions | string {
  if (options === null || typeof options !== 'object') return 'no options';
  const { dir, maxBytes, writeIntervalMs, fsync, maxRecordBytes, sinks, scheduler, logger } = options;
  const positive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;
  if (typeof dir !== 'string' || dir === '') return 'dir must be a non-empty string';
  if (!positive(maxBytes)) return 'maxBytes must be a positive number';
  if (typeof writeIntervalMs !== 'number' || !Number.isFinite(writeIntervalMs) || writeIntervalMs < 0) return 'writeIntervalMs must be ≥ 0';
  if (fsync !== 'interval' && fsync !== 'never') return "fsync must be 'interval' or 'never'";
  if (!positive(maxRecordBytes) || maxRecordBytes > 2 ** 32) return 'maxRecordBytes must be a positive number below 4 GiB';
  if (!Array.isArray(sinks) || sinks.length > 32 || !sinks.every((s) => typeof s === 'string')) return 'sinks must be at most 32 names';
  if (new Set(sinks).size !== sinks.length) return 'sinks must be distinct';
  if (scheduler === undefined || typeof scheduler.schedule !== 'function') return 'scheduler must be a SchedulerLike';
  if (logger === undefined || typeof logger.warn !== 'function') return 'logger must have warn()';
  const segmentBytes = options.segmentBytes ?? Math.max(4096, Math.min(8 * MIB, Math.floor(maxBytes / 16)));
  if (!positive(segmentBytes)) return 'segmentBytes must be a positive number';
  const heartbeatMs = options.heartbeatMs ?? 5000;
  if (!positive(heartbeatMs)) return 'heartbeatMs must be a positive number';
  return { dir, maxBytes, writeIntervalMs, fsync, segmentBytes, maxRecordBytes, sinks: [...sinks], scheduler, logger, heartbeatMs };
}

/** Enough of the options to build a spool that answers `'unavailable'`. */
export function invalidOptions(options: Partial<SpoolOptions> | undefined): ResolvedSpoolOptions {
  return {
    dir: typeof options?.dir === 'string' ? options.dir : '(invalid)',
    maxBytes: 0,
    writeIntervalMs: 0,
    fsync: 'never',
    segmentBytes: 0,
    maxRecordBytes: 0,
    sinks: [],
    scheduler: options?.scheduler ?? { now: () => 0, schedule: () => ({ unsubscribe: () => undefined }) as never },
    logger: options?.logger ?? { warn: () => undefined },
    heartbeatMs: 5000,
  };
}
