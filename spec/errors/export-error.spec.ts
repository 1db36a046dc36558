import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { ExportError, EXPORT_ERROR_CODES, type ExportErrorCode } from '../../src/index.js';
import { isRxtelError } from '../../src/errors/guards.js';

describe('ExportError codes', () => {
  it('defaults to ERR_RXTEL_EXPORT and keeps the code it is given', () => {
    expect(new ExportError('x: failed', { sink: 'x' }).code).toBe('ERR_RXTEL_EXPORT');
    const error = new ExportError('x: HTTP 503', { sink: 'x', status: 503, code: 'ERR_RXTEL_HTTP' });
    expect(error.code).toBe('ERR_RXTEL_HTTP');
    expect(isRxtelError(error)).toBe(true);
  });

  it('are declared once: every ERR_RXTEL_ code in src/ but ConfigError\'s is one of EXPORT_ERROR_CODES', () => {
    const src = new URL('../../src/', import.meta.url);
    const used = new Set<string>();
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const [code] of readFileSync(new URL(file, src), 'utf8').matchAll(/ERR_RXTEL_[A-Z_]+/g)) used.add(code);
    }
    used.delete('ERR_RXTEL_CONFIG');
    expect([...used].sort()).toEqual([...EXPORT_ERROR_CODES].sort());
  });

  it('are each documented in docs/sinks.md', () => {
    const doc = readFileSync(new URL('../../docs/sinks.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `(ERR_RXTEL_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...EXPORT_ERROR_CODES].sort());
  });

  it('type every code: a literal outside the union does not compile', () => {
    const ok: ExportErrorCode = 'ERR_RXTEL_TIMEOUT';
    // @ts-expect-error not an export error code
    const wrong: ExportErrorCode = 'ERR_RXTEL_TIMEOUTS';
    expect([ok, wrong]).toHaveLength(2);
  });
});
