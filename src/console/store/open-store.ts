/**
 * `openConsoleStore`: the console's store in a folder, recovered from what an earlier run left
 * there (docs/console.md#storage).
 */
import { z } from 'zod';
import { func, integer } from '../../schema/fields.js';
import { parseOptionsWith } from '../../schema/parse.js';
import type { Assert, Matches } from '../../schema/same-type.js';
import { DEFAULT_MAX_STORE_BYTES, type ConsoleStore, type ConsoleStoreOptions, type EvictedSession } from '../store-api.js';
import { DiskStore } from './disk-store.js';
import { lockFolder } from './folder-lock.js';
import { recoverSessions } from './recovery.js';

/** The schema of {@link ConsoleStoreOptions}: a bad or unknown option is a `ConfigError` naming `openConsoleStore`, the option and the value. */
export const ConsoleStoreOptionsSchema = z.strictObject({
  dir: z.string({ error: 'expected a folder path' }).min(1, { error: 'expected a folder path' }),
  maxBytes: integer(1).default(DEFAULT_MAX_STORE_BYTES),
  maxIndexedEvents: integer(1).default(2_000_000),
  onEvict: func<(evicted: EvictedSession) => void>().optional(),
  now: func<() => number>().default(() => Date.now),
  dedupeWindow: integer(0).default(200_000),
});

/** Compile-time: the documented interface and the schema take the same options. */
export type ConsoleStoreOptionsMatchSchema = Assert<Matches<ConsoleStoreOptions, typeof ConsoleStoreOptionsSchema>>;

/**
 * Opens (creating it when missing) the store in `options.dir`: reads the index, brings it up to
 * date with the session files (a crash's torn line cut off, unknown files read, lost files
 * dropped), deletes the oldest sessions if the folder is over `maxBytes`, and answers the store.
 * Bad options throw a `ConfigError`; a folder another live console holds, a `FolderLockedError`
 * (`console.lock` keeps the holder's pid; a lock left by a killed console is taken over).
 *
 * @example
 * ```ts
 * const store = await openConsoleStore({ dir: join(homedir(), '.rxtel', 'console'), maxBytes: 512 * 1024 * 1024 });
 * await store.append(sessionId, { sdk: 'rxtel 0.1.0' }, events);
 * store.sessions(); // [{ id: sessionId, status: 'running', events: 3, … }]
 * await store.close();
 * ```
 */
export async function openConsoleStore(options: ConsoleStoreOptions): Promise<ConsoleStore> {
  const settings = parseOptionsWith(ConsoleStoreOptionsSchema, options, { owner: 'openConsoleStore' });
  const release = await lockFolder(settings.dir);
  try {
    const { tallies, info } = await recoverSessions(settings.dir);
    const store = new DiskStore(settings, tallies, info);
    await store.start();
    const close = store.close.bind(store);
    let closing: Promise<void> | undefined;
    store.close = () => (closing ??= close().finally(release));
    return store;
  } catch (error) {
    await release();
    throw error;
  }
}
