/**
 * The store's writing side: an open handle per recently written session file (at most 64, the
 * least recently written closed first), and one write of a whole batch per append. A write that
 * fails half-way is cut back to where it began, so a file never holds part of a batch the store
 * did not count.
 */
import { open, type FileHandle } from 'node:fs/promises';

const MAX_OPEN_FILES = 64;

/**
 * Append handles by path.
 *
 * @example
 * ```ts
 * const files = new AppendFiles();
 * await files.append('/data/sessions/s-61.ndjson', Buffer.from('{"seq":0,…}\n'), 0, true);
 * await files.closeAll();
 * ```
 */
export class AppendFiles {
  private readonly handles = new Map<string, FileHandle>();

  /**
   * Writes all of `bytes` at the end of `path`, whose length is `size` now; `fresh`: the file
   * begins here (created, or emptied if something was left under its name).
   */
  async append(path: string, bytes: Buffer, size: number, fresh = false): Promise<void> {
    if (fresh) await this.close(path);
    const file = await this.handle(path, fresh);
    try {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await file.write(bytes, done, bytes.length - done, null);
        if (bytesWritten <= 0) throw Object.assign(new Error(`no progress writing ${path}`), { code: 'EIO' });
        done += bytesWritten;
      }
    } catch (error) {
      this.handles.delete(path);
      await file.truncate(size).catch(() => undefined);
      await file.close().catch(() => undefined);
      throw error;
    }
  }

  /** Closes the handle of `path`, if one is open (before the file is deleted). */
  async close(path: string): Promise<void> {
    const file = this.handles.get(path);
    if (file === undefined) return;
    this.handles.delete(path);
    await file.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const files = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(files.map((file) => file.close().catch(() => undefined)));
  }

  private async handle(path: string, fresh: boolean): Promise<FileHandle> {
    const open_ = this.handles.get(path);
    if (open_ !== undefined) {
      // Most recently used last: the first is the one to close when too many are open.
      this.handles.delete(path);
      this.handles.set(path, open_);
      return open_;
    }
    if (this.handles.size >= MAX_OPEN_FILES) {
      const [oldest] = this.handles.keys();
      await this.close(oldest!);
    }
    const file = await open(path, fresh ? 'w' : 'a', 0o644);
    this.handles.set(path, file);
    return file;
  }
}
