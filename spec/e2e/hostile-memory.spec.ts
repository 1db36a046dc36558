/**
 * Memory bounds that only a real process can show: what a queued event keeps alive, and what the
 * reporter keeps after everything was delivered. Each case runs in a child (--expose-gc) that
 * measures its own heap after two collections; the bounds leave a wide margin over what the
 * reporter should hold and stay far under what the unbounded behaviour held (noted per case).
 */
import { describe, expect, it } from '@jest/globals';
import { runFixture } from '../helpers/child-process.js';

const MiB = 2 ** 20;

async function measure(mode: 'strings' | 'keys') {
  const { code, stdout, stderr } = await runFixture('hostile-memory.ts', [mode], {}, undefined, ['--expose-gc']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout.trim()) as { queued: number; accepted: number; oversized: number; heapGrowthBytes: number };
}

describe('hostile data: bounded memory', () => {
  it('events whose 1,000,000-character strings were cut to maxStringLength hold what maxQueueBytes allows, not the originals', async () => {
    const report = await measure('strings');
    // About 165 of the 250 fit in maxQueueBytes 4 MiB (with the warm-up's 201): the queue is full, nothing was delivered.
    expect(report.queued).toBeGreaterThan(300);
    // Each cut string kept its 1 MB original alive: 165 MB held before; about 4 MB now.
    expect(report.heapGrowthBytes).toBeLessThan(40 * MiB);
  }, 60_000);

  it('48 MB of distinct key names leave nothing behind once their events were delivered (the key cache is bounded in bytes)', async () => {
    const report = await measure('keys');
    expect(report.oversized).toBe(500);
    expect(report.queued).toBe(0);
    // The redaction key cache kept 8,000 of the 6 KiB names: 50 MB held before; under 1 MB now.
    expect(report.heapGrowthBytes).toBeLessThan(16 * MiB);
  }, 60_000);
});
