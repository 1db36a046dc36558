import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The lock file in a store's folder: the pid of the console that holds it. */
export const LOCK_FILE = 'console.lock';

/** Another live process holds the folder. */
export class FolderLockedError extends Error {
  readonly code = 'ELOCKED';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`${dir} is in use by another rxtel console (pid ${pid})`);
    this.name = 'FolderLockedError';
  }
}

/** Folders this process holds (a lock file with our own pid is ours only if listed here). */
const held = new Set<string>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes `dir` for this process: creates `console.lock` holding our pid, exclusively. A lock whose
 * process is gone (a console that was killed) is stale and taken over; one held by a live process
 * is a {@link FolderLockedError}, since two consoles appending to the same files and rewriting one
 * index would lose each other's sessions. Resolves to the release (idempotent).
 *
 * @example
 * ```ts
 * const release = await lockFolder(dir); // FolderLockedError when another console runs on it
 * // … use the folder
 * await release();
 * ```
 */
export async function lockFolder(dir: string): Promise<() => Promise<void>> {
  const key = resolve(dir);
  if (held.has(key)) throw new FolderLockedError(dir, process.pid);
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      held.add(key);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        held.delete(key);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new FolderLockedError(dir, pid);
    await rm(path, { force: true });
  }
}
