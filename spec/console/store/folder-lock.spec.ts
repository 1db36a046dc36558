import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderLockedError, LOCK_FILE } from '../../../src/console/store/folder-lock.js';
import { openConsoleStore } from '../../../src/console/store/open-store.js';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
const folder = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rxtel-console-lock-'));
  folders.push(dir);
  return dir;
};

describe('the store folder lock', () => {
  it('refuses a folder another live process holds, naming its pid', async () => {
    const dir = await folder();
    // Our parent stands for another console: alive, and not this process.
    await writeFile(join(dir, LOCK_FILE), `${process.ppid}\n`);
    const refused = await openConsoleStore({ dir }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FolderLockedError);
    expect((refused as Error).message).toBe(`${dir} is in use by another rxtel console (pid ${process.ppid})`);
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.ppid));
  });

  it('refuses a second store on the folder in this process, and frees the folder on close', async () => {
    const dir = await folder();
    const first = await openConsoleStore({ dir });
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await expect(openConsoleStore({ dir: `${dir}/.` })).rejects.toThrow(`is in use by another rxtel console (pid ${process.pid})`);
    await first.close();
    await expect(readFile(join(dir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    await (await openConsoleStore({ dir })).close();
  });

  it('takes over a lock whose process is gone (a killed console), and one that holds no pid', async () => {
    const dir = await folder();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    await writeFile(join(dir, LOCK_FILE), `${gone}\n`);
    const store = await openConsoleStore({ dir });
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
    await writeFile(join(dir, LOCK_FILE), 'garbage');
    await (await openConsoleStore({ dir })).close();
  });
});
