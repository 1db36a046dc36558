/** rxtel as the `rxtel` client, with the durable spool on (a fresh directory per run, removed at shutdown). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rxtel from './rxtel.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'rxtel-spool',
  protocol: 'tinker',
  create(url, s) {
    const dir = mkdtempSync(join(tmpdir(), 'rxtel-bench-spool-'));
    const client = rxtel.create(url, s, { spool: { dir } });
    return {
      ...client,
      shutdown: async () => {
        await client.shutdown();
        rmSync(dir, { recursive: true, force: true });
      },
      options: { ...client.options, spool: "{ dir: <tmp>, writeIntervalMs: 100 (default), fsync: 'interval' (default) }" },
    };
  },
};
