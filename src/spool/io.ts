/**
 * The few file operations the spool makes, as promises over Node's fd-based calls (the spool keeps
 * raw fds so that the fatal path can write to them synchronously).
 */
import { close, closeSync, fdatasync, fsync, fsyncSync, open, openSync, read, write } from 'node:fs';
import { promisify } from 'node:util';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);
const readAsync = promisify(read);
const writeAsync = promisify(write);

/** The errno code of a failed call (`EACCES`, `ENOSPC`…), or its message when it has none. */
export function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/** Opens `path` (`flags` as for `fs.open`; new files get mode 0644). */
export function openFd(path: string, flags: string): Promise<number> {
  return openAsync(path, flags, 0o644);
}

/** Closes `fd`. */
export function closeFd(fd: number): Promise<void> {
  return closeAsync(fd);
}

/** Closes `fd` in the background; an error there changes nothing. */
export function closeQuietly(fd: number): void {
  close(fd, () => undefined);
}

/** fdatasync: the data written to `fd` (and the size it needs) reaches the disk. */
export function datasync(fd: number): Promise<void> {
  return fdatasyncAsync(fd);
}

/** Writes all of `bytes` at `position` (a short write is continued). */
export async function writeAt(fd: number, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await writeAsync(fd, bytes, done, bytes.length - done, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += bytesWritten;
  }
}

/** Reads up to `length` bytes at `position`; the answer is shorter at the end of the file. */
export async function readAt(fd: number, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await readAsync(fd, buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

/** fsyncs a directory, so that a file created or renamed in it survives a power loss. Best effort. */
export async function syncDirectory(path: string): Promise<void> {
  try {
    const fd = await openAsync(path, 'r');
    try {
      await fsyncAsync(fd);
    } finally {
      await closeAsync(fd);
    }
  } catch {
    // Windows cannot open a directory; elsewhere a failed directory sync only weakens power-loss durability.
  }
}

/** {@link syncDirectory}, synchronously (the fatal path). */
export function syncDirectorySync(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // As in syncDirectory: best effort.
  }
}
