/**
 * The life of this process's owner directory: made with its `owner.json` when the spool opens,
 * touched by the heartbeat, removed with its files when a stopped spool owes nothing.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { everyRealMs, touch } from '../platform/liveness.js';
import { errorCode } from './io.js';
import { CURSOR_FILE, layout, OWNER_FILE, type OwnerFile } from './owner.js';

/**
 * Creates the owner directory and its `owner.json` (written whole: a temporary file, then a
 * rename), synchronously. Throws what the file system said.
 */
export function makeOwnerDirectory(ownerDir: string, owner: OwnerFile): void {
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(ownerDir, { recursive: true });
      break;
    } catch (error) {
      // ENOENT: a closing spool removed the empty skeleton between our mkdir's steps.
      if (errorCode(error) !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
  const file = join(ownerDir, OWNER_FILE);
  try {
    writeFileSync(`${file}.tmp`, `${JSON.stringify(owner)}\n`);
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    try {
      rmSync(ownerDir, { recursive: true, force: true });
    } catch {
      // Left: a later recovery removes an owner directory without records.
    }
    throw error;
  }
}

/**
 * Touches `owner.json` every `ms` of real time (one touch in flight at most); `gone` is called
 * when it no longer exists. Returns the function that stops it. Never throws.
 */
export function startHeartbeat(ownerDir: string, ms: number, gone: () => void): () => void {
  const file = join(ownerDir, OWNER_FILE);
  let beating = false;
  return everyRealMs(ms, () => {
    if (beating) return;
    beating = true;
    touch(file, (code) => {
      beating = false;
      if (code === 'ENOENT') gone();
    });
  });
}

/**
 * Removes a stopped owner's files (`segments`, the cursor file, `owner.json`) and its directory,
 * then `owners/`, `claims/` and `v1/` under `dir` if nothing else is left in them (an `open` racing
 * with that re-creates them: `makeOwnerDirectory` retries). Unknown files stay. Never rejects.
 */
export async function removeOwnerDirectory(dir: string, ownerDir: string, segments: readonly string[]): Promise<void> {
  for (const path of segments) await unlink(path).catch(() => undefined);
  for (const name of [CURSOR_FILE, `${CURSOR_FILE}.tmp`, OWNER_FILE]) await unlink(join(ownerDir, name)).catch(() => undefined);
  await rmdir(ownerDir).catch(() => undefined);
  const { owners, claims, root } = layout(dir);
  for (const path of [owners, claims, root]) await rmdir(path).catch(() => undefined);
}
