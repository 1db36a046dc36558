import { describe, expect, it } from '@jest/globals';
import { otlpProblems } from '../../helpers/otlp-json.js';

/** The strict OTLP/JSON decoder of spec/helpers/otlp-json.ts refuses what it must: it is not a rubber stamp. */
const record = (fields: Record<string, unknown>) => ({ resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ scope: { name: 'rxtel' }, logRecords: [fields] }] }] });
const span = (fields: Record<string, unknown>) => ({
  resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'x', kind: 1, ...fields }] }] }],
});

describe('the strict OTLP/JSON decoder (opentelemetry-proto v1.11.0)', () => {
  it('accepts a full valid request of each signal', () => {
    expect(
      otlpProblems(
        'logs',
        record({
          timeUnixNano: '1767225600000001000',
          observedTimeUnixNano: '1767225600000001000',
          severityNumber: 9,
          severityText: 'INFO',
          body: { kvlistValue: { values: [{ key: 'a', value: { arrayValue: { values: [{ intValue: '-3' }, { doubleValue: 'NaN' }, {}, { bytesValue: 'AQI=' }] } } }] } },
          eventName: 'x',
          attributes: [{ key: 'k', value: { boolValue: true } }],
          traceId: '5b8efff798038103d269b633813fc60c',
          spanId: 'eee19b7ec3c1b174',
          flags: 1,
        }),
      ),
    ).toEqual([]);
    expect(otlpProblems('traces', span({ startTimeUnixNano: '1', endTimeUnixNano: '2', parentSpanId: 'aaa19b7ec3c1b175', status: { code: 2, message: 'm' } }))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['snake_case field names', { time_unix_nano: '1' }, /time_unix_nano: not a field of LogRecord/],
    ['an unknown field', { eventname: 'x' }, /eventname: not a field/],
    ['a 64-bit integer as a number', { timeUnixNano: 1 }, /timeUnixNano: not a valid fixed64/],
    ['a negative fixed64', { timeUnixNano: '-1' }, /not a valid fixed64/],
    ['an enum by name', { severityNumber: 'SEVERITY_NUMBER_INFO' }, /severityNumber: not an enum number/],
    ['an enum out of range', { severityNumber: 25 }, /severityNumber: not an enum number/],
    ['an upper-case trace id', { traceId: '5B8EFFF798038103D269B633813FC60C' }, /traceId: not a valid traceId/],
    ['a UUID as trace id', { traceId: '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10' }, /traceId: not a valid traceId/],
    ['an all-zero span id', { spanId: '0000000000000000' }, /spanId: not a valid spanId/],
    ['a span id of 32 characters', { spanId: '5b8efff798038103d269b633813fc60c' }, /spanId: not a valid spanId/],
    ['two values in one AnyValue', { body: { stringValue: 'a', intValue: '1' } }, /more than one value of the oneof/],
    ['an intValue as a number', { body: { intValue: 1 } }, /intValue: not a valid int64/],
    ['an intValue beyond int64', { body: { intValue: '9223372036854775808' } }, /not a valid int64/],
    ['a duplicate attribute key', { attributes: [{ key: 'a', value: {} }, { key: 'a', value: {} }] }, /duplicate attribute key "a"/],
    ['an empty attribute key', { attributes: [{ key: '', value: {} }] }, /an empty attribute key/],
    ['null', { body: null }, /body: null/],
    ['attributes not a list', { attributes: { a: 1 } }, /attributes: expected an array/],
    ['a uint32 as a string', { droppedAttributesCount: '1' }, /not a valid uint32/],
  ])('refuses %s', (_label, fields, problem) => {
    expect(otlpProblems('logs', record(fields)).join('\n')).toMatch(problem);
  });

  it('refuses a span that ends before it starts, or lacks its ids', () => {
    expect(otlpProblems('traces', span({ startTimeUnixNano: '3', endTimeUnixNano: '2' })).join('\n')).toMatch(/ends before it starts/);
    expect(otlpProblems('traces', { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'x' }] }] }] }).join('\n')).toMatch(/no traceId or spanId/);
    expect(otlpProblems('traces', span({ kind: 6 })).join('\n')).toMatch(/kind: not an enum number from 0 to 5/);
  });

  it('refuses a logs body for traces and the other way round', () => {
    expect(otlpProblems('traces', record({}))).toEqual(['$.resourceLogs: not a field of ExportTraceServiceRequest']);
  });
});
