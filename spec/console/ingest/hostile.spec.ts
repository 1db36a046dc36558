import { describe, expect, it } from '@jest/globals';
import { normaliseLangfuseIngestion } from '../../../src/console/ingest/langfuse.js';
import { normaliseOtlpLogs } from '../../../src/console/ingest/otlp-logs.js';
import { normaliseOtlpTraces } from '../../../src/console/ingest/otlp-traces.js';
import type { IngestResult } from '../../../src/console/ingest/result.js';
import { normaliseTinker } from '../../../src/console/ingest/tinker.js';
import type { ReceivedBatch } from '../../../src/receiver/received-batch.js';

/** Anything a sender can make the console parse, and a few things it cannot (for callers that pass objects). */
const NOW = 1_800_000_000_000;
const NORMALISERS: readonly [string, (body: unknown) => IngestResult][] = [
  ['tinker', (body) => normaliseTinker(body as ReceivedBatch, NOW)],
  ['otlp logs', (body) => normaliseOtlpLogs(body, NOW)],
  ['otlp traces', (body) => normaliseOtlpTraces(body, NOW)],
  ['langfuse', (body) => normaliseLangfuseIngestion(body, NOW)],
];

const trap = (): never => {
  throw new Error('trapped');
};
const PROXY = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
/** An object String() cannot convert (its toString and valueOf are no functions). */
const UNPRINTABLE = JSON.parse('{"toString": 1, "valueOf": 2, "__proto__": {"x": 1}}') as unknown;

function deep(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

const str = (value: unknown) => ({ stringValue: value });
const otlpLogs = (value: unknown) => ({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: str(value) }] }, scopeLogs: [{ scope: { name: value }, logRecords: [{ eventName: value, severityNumber: value, timeUnixNano: value, body: { kvlistValue: { values: [{ key: 'v', value: str(value) }] } }, attributes: [{ key: 'k', value }] }] }] }] });
const otlpTraces = (value: unknown) => ({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: value, kind: value, status: { code: value, message: value }, startTimeUnixNano: value, attributes: [{ key: 'gen_ai.operation.name', value: str(value) }], events: [{ name: 'exception', attributes: [{ key: 'exception.type', value: str(value) }] }] }] }] }] });
const tinker = (value: unknown) => ({ session_id: '3f0c8a4e-5b1d-4c2e-9f7a-1d2e3f4a5b6c', platform: value, sdk_version: value, events: [{ event: 'GENERIC_EVENT', event_id: value, event_session_index: 0, severity: 'INFO', timestamp: value, event_name: 'llm.generation', event_data: { model: value, usage: value, start_time: value, trace_id: value, nested: value } }] });
const langfuse = (value: unknown) => ({ batch: [{ id: 'e', type: 'generation-create', timestamp: '2026-01-01T00:00:00Z', body: { id: 'g', traceId: value, name: value, metadata: value, usage: value, usageDetails: value, model: 'm' } }, { id: 'f', type: 'sdk-log', timestamp: '2026-01-01T00:00:00Z', body: { log: value } }], metadata: value });

describe('hostile input: every normaliser answers, never throws, and what it makes can be stored', () => {
  for (const [name, ingest] of NORMALISERS) {
    it(`${name}: a Proxy that throws on every trap, an object String() cannot print, deep nesting`, () => {
      for (const body of [PROXY, UNPRINTABLE, deep(100_000), [PROXY], { batch: [PROXY], resourceLogs: [PROXY], resourceSpans: [PROXY], events: [PROXY] }]) {
        const result = ingest(body);
        expect(() => JSON.stringify(result)).not.toThrow();
      }
    });
  }

  it.each([
    ['otlp logs', (value: unknown) => normaliseOtlpLogs(otlpLogs(value), NOW)],
    ['otlp traces', (value: unknown) => normaliseOtlpTraces(otlpTraces(value), NOW)],
    ['tinker', (value: unknown) => normaliseTinker(tinker(value) as unknown as ReceivedBatch, NOW)],
    ['langfuse', (value: unknown) => normaliseLangfuseIngestion(langfuse(value), NOW)],
  ])('%s: unprintable, deeply nested and prototype-named values in every field', (_name, ingest) => {
    for (const value of [UNPRINTABLE, deep(100_000), JSON.parse('{"__proto__": {"polluted": true}}') as unknown, 1e308, -1, '']) {
      const result = ingest(value);
      expect(() => JSON.stringify(result)).not.toThrow();
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('markup stays text in every field, exactly as sent', () => {
    const xss = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    const texts = [
      normaliseOtlpLogs(otlpLogs(xss), NOW),
      normaliseOtlpTraces(otlpTraces(xss), NOW),
      normaliseLangfuseIngestion({ batch: [{ id: 'e', type: 'event-create', timestamp: '2026-01-01T00:00:00Z', body: { id: 'o', traceId: 't', name: xss, statusMessage: xss, metadata: { [xss]: xss } } }] }, NOW),
    ].map((result) => JSON.stringify(result.groups));
    for (const text of texts) {
      expect(text).toContain(JSON.stringify(xss).slice(1, -1));
      expect(text).not.toContain('&lt;');
    }
  });
});
