import { existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { runDemo } from '../../src/demo/demo.js';

describe('the demo (npm start)', () => {
  it('delivers everything, through one retried 503 it says it injected, says what arrived and removes its NDJSON', async () => {
    const lines: string[] = [];
    expect(await runDemo((line) => lines.push(line))).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/stop\(\) → everything delivered/);
    expect(text).toMatch(/events stored: 8 \(SESSION_START 1, GENERIC_EVENT 5, UNHANDLED_EXCEPTION 1, SESSION_END 1\)/);
    expect(text).toMatch(/by severity:.*WARNING 2.*ERROR 1/);
    expect(text).toMatch(/requests: +\d+ \(.*503 1/);
    expect(text).toMatch(/retries: +1/);
    expect(text).toMatch(/dropped: +none/);
    expect(text).toMatch(/the receiver will answer the first request with 503 on purpose/);
    const ndjson = /NDJSON: +8 lines written to (\S+events\.ndjson) \(removed now/.exec(text);
    expect(ndjson).not.toBeNull();
    expect(existsSync(ndjson![1]!)).toBe(false);
  });
});
