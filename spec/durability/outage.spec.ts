import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runFixture } from '../helpers/child-process.js';

/**
 * The outage of issue 15: the backend answers 503 — and, in a second run, refuses connections —
 * for OUTAGE_MS (60 s) while 200,000 events are logged with maxQueueSize 10,000. With the spool:
 * 0 lost, the in-memory queue within its bound, everything delivered after the backend returns.
 * Run by `npm run test:durability`.
 */
const OUTAGE_MS = process.env['OUTAGE_MS'] ?? '60000';
const EVENTS = process.env['EVENTS'] ?? '200000';

describe.each(['503', 'refused'])('the durable spool through a %s outage', (mode) => {
  it(`loses nothing of ${EVENTS} events over ${OUTAGE_MS} ms with maxQueueSize 10,000`, async () => {
    const dir = mkdtempSync(join(tmpdir(), `rxtel-outage-${mode}-`));
    try {
      const exit = await runFixture('spool-outage.ts', [mode, dir], { OUTAGE_MS, EVENTS }, undefined, ['--expose-gc']);
      expect(exit.code).toBe(0);
      const result = JSON.parse(exit.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
      // What the docs quote (docs/durability.md).
      console.log(JSON.stringify(result));
      expect(result).toMatchObject({ stopped: true, refused: 0, lost: 0, indexesContiguous: true });
      expect(result['maxInMemory']).toBeLessThanOrEqual(10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, Number(OUTAGE_MS) + 240_000);
});
