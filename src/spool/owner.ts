/**
 * Who wrote a spool directory and whether it is still alive: the `owner.json` each owner writes,
 * the cursor file's contents, and the death test (docs/research-spool.md §3).
 */
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { probePid, processStartTick, wallClockAgeMs, type ProcessIdentity } from '../platform/liveness.js';
import { FORMAT_DIR } from './format.js';

/** How old a heartbeat must be before an owner that cannot be checked otherwise counts as dead. */
export const STALE_HEARTBEAT_MS = 60_000;
/** Who owns a directory (see {@link OwnerFile}); its mtime is the heartbeat. */
export const OWNER_FILE = 'owner.json';
/** Each sink's cursor, by name (see {@link encodeCursors}). */
export const CURSOR_FILE = 'cursors';

/** The paths under a spool directory. */
export function layout(dir: string): { root: string; owners: string; claims: string } {
  const root = join(dir, FORMAT_DIR);
  return { root, owners: join(root, 'owners'), claims: join(root, 'claims') };
}

/** The contents of `owner.json`. */
export interface OwnerFile extends ProcessIdentity {
  readonly format: 1;
  readonly ownerId: string;
  /** When the owner started, by its scheduler's clock. */
  readonly startedAtMs: number;
  /** The sink names its records' mask bits stand for. */
  readonly sinks: readonly string[];
  /** Its bound on a frame, so that a claimant with a smaller one does not take its frames for corruption. */
  readonly maxRecordBytes: number;
}

/** `owner.json` read back, or `undefined` when it is not one. */
export function parseOwnerFile(text: string): OwnerFile | undefined {
  try {
    const value = JSON.parse(text) as Partial<OwnerFile> | null;
    if (value === null || typeof value !== 'object' || value.format !== 1) return undefined;
    if (typeof value.ownerId !== 'string' || typeof value.pid !== 'number' || typeof value.hostname !== 'string') return undefined;
    if (!Array.isArray(value.sinks) || !value.sinks.every((s) => typeof s === 'string')) return undefined;
    return value as OwnerFile;
  } catch {
    return undefined;
  }
}

/**
 * Whether the owner described by `owner` (or, when it could not be read, only by `heartbeatMs`, the
 * newest mtime of its files) is dead, seen from process `me`. `liveHere` holds the owner ids this
 * process has open, for owners with this process's own pid and start tick.
 *
 * Same host: dead when the boot id differs, when the pid is gone (`ESRCH`), or when the pid is
 * alive with another start tick (a reused pid). Otherwise — another host, or no way to check — dead
 * only when its heartbeat is older than {@link STALE_HEARTBEAT_MS}.
 */
export function isDead(owner: OwnerFile | undefined, heartbeatMs: number, me: ProcessIdentity, liveHere: ReadonlySet<string>): boolean {
  const stale = wallClockAgeMs(heartbeatMs) > STALE_HEARTBEAT_MS;
  if (owner === undefined || owner.hostname !== me.hostname) return stale;
  if (owner.bootId !== undefined && me.bootId !== undefined && owner.bootId !== me.bootId) return true;
  if (owner.pid === me.pid && (owner.startTick === undefined || owner.startTick === me.startTick)) return !liveHere.has(owner.ownerId);
  const state = probePid(owner.pid);
  if (state === 'gone') return true;
  if (state === 'unknown') return stale;
  if (owner.startTick === undefined) return false;
  const tick = processStartTick(owner.pid);
  return tick !== undefined && tick !== owner.startTick;
}

/** The cursor file's text: each sink's cursor, by name, and a CRC-32 of them. */
export function encodeCursors(cursors: Readonly<Record<string, number>>): string {
  const acked = JSON.stringify(cursors);
  return `${JSON.stringify({ v: 1, acked: cursors, crc: crc32(acked) })}\n`;
}

/** The cursors in a cursor file, or `undefined` when it is missing its CRC or is not one. */
export function decodeCursors(text: string): Map<string, number> | undefined {
  try {
    const value = JSON.parse(text) as { v?: unknown; acked?: unknown; crc?: unknown } | null;
    if (value === null || typeof value !== 'object' || value.v !== 1) return undefined;
    const acked = value.acked;
    if (acked === null || typeof acked !== 'object' || Array.isArray(acked)) return undefined;
    if (crc32(JSON.stringify(acked)) !== value.crc) return undefined;
    const out = new Map<string, number>();
    for (const [name, seq] of Object.entries(acked)) {
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return undefined;
      out.set(name, seq);
    }
    return out;
  } catch {
    return undefined;
  }
}
