// The spool engine's costs on this machine's disk (docs/durability.md#costs): 100,000 appends (the
// caller's cost), writing them, bytes per record, and recovering, pulling and releasing them again.
// Run after a build: `npm run build && node bench/spool-cost.mjs`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeScheduler } from '../dist/platform/node.js';
import { Spool } from '../dist/spool/index.js';

const N = 100_000;
const session = randomUUID();
const events = Array.from({ length: N }, (_, i) =>
  JSON.stringify({
    event: 'GENERIC_EVENT',
    event_id: randomUUID(),
    event_session_index: i + 1,
    severity: 'INFO',
    timestamp: new Date(1_760_000_000_000 + i).toISOString().replace('Z', '001Z'),
    session_id: session,
    event_name: 'checkout.completed',
    event_data: { order: `o-${i}`, amount: i % 997, items: [1, 2, 3], user: 'u-42' },
  }),
);
const payloadBytes = events.reduce((n, e) => n + Buffer.byteLength(e), 0) / N;
/** @param {number} t */
const ms = (t) => Math.round(t * 10) / 10;

/** @param {'interval' | 'never'} fsync */
async function run(fsync) {
  const dir = mkdtempSync(join(tmpdir(), 'rxtel-spool-cost-'));
  const open = () =>
    Spool.open({ dir, maxBytes: 2 ** 30, writeIntervalMs: 100, fsync, maxRecordBytes: 2 ** 20, sinks: ['http'], scheduler: nodeScheduler, logger: console });
  try {
    const spool = open();
    const t0 = performance.now();
    for (const event of events) spool.append(event, 1);
    const t1 = performance.now();
    await spool.flush();
    const t2 = performance.now();
    const { bytes, segments, writes, syncs } = spool.stats();
    await spool.close();
    const again = open();
    const t3 = performance.now();
    const { records } = await again.recover();
    for (let batch = await again.pull(1000); batch.length > 0; batch = await again.pull(1000)) for (const r of batch) again.done(r.handle, 'http');
    const t4 = performance.now();
    await again.close();
    return {
      fsync,
      appendMs: ms(t1 - t0),
      nsPerAppend: Math.round(((t1 - t0) * 1e6) / N),
      writeMs: ms(t2 - t1),
      writes,
      syncs,
      bytesPerRecord: ms(bytes / N),
      overheadPerRecord: ms(bytes / N - payloadBytes),
      segments,
      recovered: records,
      recoverPullReleaseMs: ms(t4 - t3),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${N} records, payload ${payloadBytes.toFixed(1)} bytes on average`);
for (let round = 0; round < 3; round++) for (const fsync of /** @type {const} */ (['never', 'interval'])) console.log(JSON.stringify(await run(fsync)));
