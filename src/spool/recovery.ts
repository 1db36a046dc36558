/**
 * Recovery: find the owners that died with records on disk, claim each one for exactly one live
 * process, and load what its sinks still owe (docs/durability.md#format-and-recovery).
 *
 * A claim is `rename(v1/owners/<dead>, v1/claims/<dead>.<me>)`: a rename within one filesystem is
 * atomic, so of several processes racing for the same directory exactly one succeeds and the rest
 * get `ENOENT`. A claim whose claimant is itself dead (or gone) is claimed again the same way.
 */
import { readdir, readFile, rename, stat, unlink, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ProcessIdentity } from '../platform/liveness.js';
import { parseSegmentName } from './format.js';
import { errorCode, syncDirectory } from './io.js';
import { Ledger, type SegmentInfo } from './ledger.js';
import { CURSOR_FILE, decodeCursors, isDead, layout, OWNER_FILE, parseOwnerFile, type OwnerFile } from './owner.js';
import { DISK_ONLY, WRITTEN } from './record-table.js';
import { scanSegment } from './segment-scan.js';

const OWNER_ID = /^[0-9a-f]{32}$/;
/** The largest frame bound taken from another owner's `owner.json`. */
const MAX_FOREIGN_FRAME_BYTES = 256 * 1024 * 1024;

/** What recovery needs to know about the process doing it. */
export interface RecoveryContext {
  readonly dir: string;
  readonly ownerId: string;
  readonly me: ProcessIdentity;
  /** Owner ids this process has open (an owner with this process's pid is alive only if listed). */
  readonly liveHere: ReadonlySet<string>;
  readonly sinks: readonly string[];
  readonly maxRecordBytes: number;
  readonly syncDirectories: boolean;
  /** A warning, at most once per `key` in this spool's life. */
  readonly warnOnce: (key: string, message: string) => void;
}

/** One claimed owner, loaded. */
export interface LoadedClaim {
  readonly ledger: Ledger;
  readonly startedAtMs: number;
  readonly records: number;
  readonly corrupt: number;
}

/**
 * Claims every dead owner and every orphaned claim under `ctx.dir`; answers the claim directories
 * this process now holds (newly). Never rejects.
 */
export async function claimDead(ctx: RecoveryContext): Promise<string[]> {
  const { owners, claims } = layout(ctx.dir);
  const won: string[] = [];
  try {
    await mkdir(claims, { recursive: true });
  } catch (error) {
    ctx.warnOnce(`claims:${errorCode(error)}`, `rxtel spool: cannot create ${claims} (${errorCode(error)}); nothing recovered`);
    return won;
  }
  const claim = async (from: string, deadId: string): Promise<void> => {
    const to = join(claims, `${deadId}.${ctx.ownerId}`);
    try {
      await rename(from, to);
      won.push(to);
    } catch {
      // ENOENT: another process claimed it first. Anything else: left for a later try.
    }
  };

  for (const name of await list(owners)) {
    if (name === ctx.ownerId) continue;
    const path = join(owners, name);
    if (!OWNER_ID.test(name)) {
      ctx.warnOnce(`foreign:${path}`, `rxtel spool: ${path} is not an owner directory; left alone`);
      continue;
    }
    if (await ownerIsDead(path, ctx)) await claim(path, name);
  }
  for (const name of await list(claims)) {
    const match = /^([0-9a-f]{32})\.([0-9a-f]{32})$/.exec(name);
    const path = join(claims, name);
    if (match === null) {
      ctx.warnOnce(`foreign:${path}`, `rxtel spool: ${path} is not a claim directory; left alone`);
      continue;
    }
    const [, deadId = '', claimant = ''] = match;
    if (claimant === ctx.ownerId) continue;
    // The claimant is alive only while its own owner directory is there and alive.
    if (await ownerIsDead(join(owners, claimant), ctx, true)) await claim(path, deadId);
  }
  if (won.length > 0 && ctx.syncDirectories) {
    await syncDirectory(owners);
    await syncDirectory(claims);
  }
  return won;
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** The death test on an owner directory; `goneIsDead`: a missing directory counts as dead. */
async function ownerIsDead(path: string, ctx: RecoveryContext, goneIsDead = false): Promise<boolean> {
  let heartbeatMs: number;
  try {
    const dir = await stat(path);
    if (!dir.isDirectory()) return false;
    heartbeatMs = dir.mtimeMs;
  } catch {
    return goneIsDead;
  }
  let owner: OwnerFile | undefined;
  try {
    const file = join(path, OWNER_FILE);
    heartbeatMs = Math.max(heartbeatMs, (await stat(file)).mtimeMs);
    owner = parseOwnerFile(await readFile(file, 'utf8'));
  } catch {
    owner = undefined;
  }
  return isDead(owner, heartbeatMs, ctx.me, ctx.liveHere);
}

/**
 * Loads a claim directory this process holds: its owner's sinks, cursors and segments. Records that
 * some sink of their mask has not acknowledged become backlog, with the sinks they still owe (as
 * bits of `ctx.sinks`). Never rejects.
 */
export async function loadClaim(path: string, ctx: RecoveryContext): Promise<LoadedClaim> {
  let owner: OwnerFile | undefined;
  try {
    owner = parseOwnerFile(await readFile(join(path, OWNER_FILE), 'utf8'));
  } catch {
    owner = undefined;
  }
  if (owner === undefined) ctx.warnOnce(`owner:${path}`, `rxtel spool: ${path} has no readable ${OWNER_FILE}; its records' sinks are taken to be this spool's, in order`);
  const theirSinks = owner?.sinks ?? ctx.sinks;
  const ours = new Map(ctx.sinks.map((name, i) => [name, i]));
  const mapping = theirSinks.map((name) => ours.get(name));
  const lost = theirSinks.filter((_, i) => mapping[i] === undefined);
  if (lost.length > 0) ctx.warnOnce(`sinks:${path}`, `rxtel spool: ${path} has records for sinks no longer configured (${lost.join(', ')}); those count as given up`);

  let cursors: Map<string, number> | undefined;
  try {
    cursors = decodeCursors(await readFile(join(path, CURSOR_FILE), 'utf8'));
    if (cursors === undefined) ctx.warnOnce(`cursors:${path}`, `rxtel spool: the cursor file in ${path} is corrupt; every record there is sent again`);
  } catch {
    cursors = undefined; // none written yet: nothing acknowledged
  }
  const acked = ctx.sinks.map((name) => cursors?.get(name) ?? 0);
  const ledger = new Ledger(path, ctx.sinks, acked);
  const ownerId = basename(path).split('.')[0] ?? '';
  const ownerBound = owner?.maxRecordBytes;
  const maxFrameBytes =
    typeof ownerBound === 'number' && ownerBound > 0 ? Math.max(ctx.maxRecordBytes, Math.min(ownerBound, MAX_FOREIGN_FRAME_BYTES)) : ctx.maxRecordBytes;

  const names = await list(path);
  const segments: { seq: number; name: string }[] = [];
  for (const name of names) {
    const seq = parseSegmentName(name);
    if (seq !== undefined) segments.push({ seq, name });
    else if (![OWNER_FILE, CURSOR_FILE, `${CURSOR_FILE}.tmp`, `${OWNER_FILE}.tmp`].includes(name)) {
      ctx.warnOnce(`foreign:${join(path, name)}`, `rxtel spool: ${join(path, name)} is not a spool file; left alone`);
    }
  }

  let maxSeq = 0;
  let records = 0;
  let corrupt = 0;
  for (const [index, { seq, name }] of segments.entries()) {
    const file = join(path, name);
    const firstOrdinal = ledger.table.end;
    let unreleased = 0;
    const result = await scanSegment(file, { ownerId, seq }, maxFrameBytes, index === segments.length - 1, (frame, offset) => {
      // A frame already read from an earlier segment was written again by the fatal path.
      if (frame.seq <= maxSeq) return;
      maxSeq = frame.seq;
      let left = 0;
      for (let bit = 0; bit < mapping.length; bit++) {
        const sink = mapping[bit];
        if (sink !== undefined && (frame.sinkMask & (2 ** bit)) !== 0 && frame.seq > (acked[sink] ?? 0)) left |= 2 ** sink;
      }
      left >>>= 0;
      if (left !== 0) unreleased++;
      ledger.add(frame.seq, left, DISK_ONLY | WRITTEN, offset, frame.frameBytes);
    });
    if (result.kind === 'short') {
      // A segment whose creation was cut short holds no record.
      await unlink(file).catch(() => undefined);
      continue;
    }
    if (result.kind !== 'ok') {
      ctx.warnOnce(`segment:${file}`, `rxtel spool: ${file} cannot be read (${result.detail}); left alone`);
      continue;
    }
    corrupt += result.corrupt;
    if (result.corrupt > 0) {
      ctx.warnOnce(`corrupt:${file}`, `rxtel spool: ${result.corrupt} corrupt frame(s) in ${file}${result.truncated ? ', cut there' : ', skipped'}`);
    }
    records += unreleased;
    const segment: SegmentInfo = {
      seq,
      path: file,
      bytes: result.bytes,
      firstOrdinal,
      endOrdinal: ledger.table.end,
      unreleased,
      sealed: true,
      createdAtMs: result.header.createdAtMs,
      deleted: false,
    };
    ledger.segments.push(segment);
  }
  return { ledger, startedAtMs: owner?.startedAtMs ?? 0, records, corrupt };
}
