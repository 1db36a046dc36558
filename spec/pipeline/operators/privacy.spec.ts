import { describe, expect, it } from '@jest/globals';
import type { Generation, ToolExecution } from '../../../src/events/llm-events.js';
import { of } from 'rxjs';
import { Counters } from '../../../src/stats/counters.js';
import type { ReporterOptions } from '../../../src/config/options.js';
import { EventRecord } from '../../../src/events/event-record.js';
import type { GenericEvent, TelemetryEvent } from '../../../src/events/wire.js';
import type { BeforeSend } from '../../../src/events/wire.js';
import { DEFAULT_REDACT_KEYS, keyMatcher, redactEvents, REDACTED } from '../../../src/pipeline/operators/redact.js';
import { nodeBudget } from '../../../src/events/work-budget.js';
import type { EventView } from '../../../src/reporter/replay.js';
import type { ContentCapture } from '../../../src/sinks/sink.js';
import { ScriptedSink } from '../../helpers/scripted-sink.js';
import { virtualReporter } from '../../helpers/virtual-reporter.js';

/** Runs one GENERIC_EVENT through the redaction step alone; returns what it made of it. */
function redact(
  data: Record<string, unknown>,
  options: { name?: string; redactKeys?: readonly (string | RegExp)[]; maxEventBytes?: number; captureContent?: boolean } = {},
) {
  const counters = new Counters();
  const record = new EventRecord('GENERIC_EVENT', 'INFO', 0, options.name ?? 'e', data);
  of(record)
    .pipe(
      redactEvents({
        redactKeys: options.redactKeys ?? DEFAULT_REDACT_KEYS,
        maxEventBytes: options.maxEventBytes ?? 65_536,
        counters,
        captureContent: options.captureContent ?? false,
      }),
    )
    .subscribe();
  return { data: record.data as Record<string, unknown>, counters };
}

/** A reporter on virtual time with the given sinks (by default one that accepts everything). */
function setup(options: Partial<ReporterOptions> = {}, sinkOptions: { name: string; contentCapture?: ContentCapture }[] = [{ name: 'scripted' }]) {
  return virtualReporter({
    options: { attachEvents: false, ...options },
    sinks: (scheduler) => sinkOptions.map((o) => new ScriptedSink(scheduler, [], undefined, o)),
    maxVirtualMs: 600_000,
  });
}

const generic = (events: readonly TelemetryEvent[], name?: string) =>
  events.filter((e): e is GenericEvent => e.event === 'GENERIC_EVENT' && (name === undefined || e.event_name === name));
const userEvents = (events: readonly TelemetryEvent[]) => generic(events).filter((e) => !e.event_name.startsWith('telemetry.'));

describe('redaction of keys', () => {
  it('redacts at any depth in nested objects, and a whole subtree under a matching key', () => {
    const { data } = redact({
      level1: { level2: { level3: { level4: { password: 'p4', keep: 4 }, apiKey: 'k3' }, keep: 2 } },
      credentials: { user: 'ada', pass: 'hunter2' },
      plain: 'stays',
    });
    expect(data).toEqual({
      level1: { level2: { level3: { level4: { password: REDACTED, keep: 4 }, apiKey: REDACTED }, keep: 2 } },
      credentials: REDACTED,
      plain: 'stays',
    });
  });

  it('redacts inside arrays of objects, arrays of arrays, and leaves other items alone', () => {
    const { data } = redact({
      items: [{ id: 1, token: 't1' }, { id: 2, nested: [{ secret: 's', ok: true }] }, 'plain', 3, null],
      matrix: [[{ Authorization: 'Bearer x' }], [{ cookie: 'c', path: '/' }]],
    });
    expect(data).toEqual({
      items: [{ id: 1, token: REDACTED }, { id: 2, nested: [{ secret: REDACTED, ok: true }] }, 'plain', 3, null],
      matrix: [[{ Authorization: REDACTED }], [{ cookie: REDACTED, path: '/' }]],
    });
  });

  it('copies on write: the given object is never changed, and clean data is passed on as it is', () => {
    const input = { outer: { password: 'p', list: [{ token: 't' }] }, n: 1 };
    const snapshot = structuredClone(input);
    const { data } = redact(input);
    expect(input).toEqual(snapshot);
    expect(data).not.toBe(input);
    expect((data['outer'] as Record<string, unknown>)['password']).toBe(REDACTED);

    const clean = { a: 1, nested: { b: [{ c: 'd' }] } };
    expect(redact(clean).data).toBe(clean);
  });

  it.each([
    'password', 'PASSWORD', 'passwd', 'pwd', 'dbPassword', 'db_password', 'secret', 'client_secret', 'clientSecret',
    'token', 'access_token', 'accessToken', 'refresh-token', 'X-Auth-Token', 'session_token',
    'api_key', 'apiKey', 'apikey', 'X-Api-Key', 'API_KEY', 'authorization', 'Authorization', 'auth', 'proxy-auth',
    'cookie', 'Cookie', 'set_cookie', 'Set-Cookie', 'private_key', 'privateKey', 'credentials',
  ])('the default list redacts %s', (key) => {
    expect(redact({ [key]: 'value', other: 'kept' }).data).toEqual({ [key]: REDACTED, other: 'kept' });
  });

  it.each(['input_tokens', 'output_tokens', 'token_count', 'tokenizer', 'author', 'authority', 'oauth_provider', 'username', 'cookie_policy', 'secretary'])(
    'the default list keeps %s (a longer word is not a secret)',
    (key) => {
      expect(redact({ [key]: 'value' }).data).toEqual({ [key]: 'value' });
    },
  );

  it('takes names case-insensitively in any spelling, and RegExps as written', () => {
    const matches = keyMatcher(['SSN', 'Card-Number', /^iban_/, /pin$/i]);
    const verdicts = Object.fromEntries(
      ['ssn', 'SSN', 'user_ssn', 'userSsn', 'userSSN', 'user-ssn', 'ssn_hash', 'lessn', 'card_number', 'cardNumber', 'CARD_NUMBER', 'card.number',
        'iban_de', 'IBAN_de', 'my_iban_de', 'PIN', 'userPin', 'pinned'].map((key) => [key, matches(key)]),
    );
    expect(verdicts).toEqual({
      ssn: true, SSN: true, user_ssn: true, userSsn: true, userSSN: true, 'user-ssn': true, ssn_hash: false, lessn: false,
      card_number: true, cardNumber: true, CARD_NUMBER: true, 'card.number': true,
      // RegExps see the key as written: case-sensitive unless flagged, anchored where anchored.
      iban_de: true, IBAN_de: false, my_iban_de: false, PIN: true, userPin: true, pinned: false,
    });
  });

  it('redactKeys replaces the default list; spread DEFAULT_REDACT_KEYS to extend it', async () => {
    const only = setup({ redactKeys: ['ssn'] });
    only.reporter.log('e', { ssn: '123', password: 'p' });
    await only.settleAll(only.reporter.flush());
    expect(userEvents(only.sink.events)[0]!.event_data).toEqual({ ssn: REDACTED, password: 'p' });

    const extended = setup({ redactKeys: [...DEFAULT_REDACT_KEYS, 'ssn', /^card_/] });
    extended.reporter.log('e', { ssn: '123', password: 'p', card_no: '4111', Card_no: 'kept', nested: [{ userSsn: 'x' }] });
    await extended.settleAll(extended.reporter.flush());
    expect(userEvents(extended.sink.events)[0]!.event_data).toEqual({
      ssn: REDACTED, password: REDACTED, card_no: REDACTED, Card_no: 'kept', nested: [{ userSsn: REDACTED }],
    });
  });

  it('secrets never reach a sink, events$ or beforeSend, and the caller’s object is untouched', async () => {
    const seen: unknown[] = [];
    const { reporter, sink, settleAll } = setup({ beforeSend: (event) => (seen.push(event), event) });
    const views: EventView[] = [];
    reporter.events$.subscribe((v) => views.push(v));
    const data = { user: 'ada', password: 'hunter2', headers: { authorization: 'Bearer s3cr3t' }, list: [{ token: 'tok-123' }] };
    expect(reporter.log('login', data)).toBe(true);
    await settleAll(reporter.stop());
    for (const text of [JSON.stringify(sink.events), JSON.stringify(views), JSON.stringify(seen)]) {
      expect(text).not.toMatch(/hunter2|s3cr3t|tok-123/);
    }
    expect(data.password).toBe('hunter2');
    expect(data.headers.authorization).toBe('Bearer s3cr3t');
  });
});

describe('truncation and the byte limit', () => {
  it('cuts strings longer than maxStringLength with a marker saying how much went, at any depth', async () => {
    const { reporter, sink, settleAll } = setup({ maxStringLength: 16 });
    reporter.log('e', { long: 'a'.repeat(40), nested: { deep: 'b'.repeat(17) }, list: ['c'.repeat(16), 'd'.repeat(20)] });
    await settleAll(reporter.flush());
    expect(userEvents(sink.events)[0]!.event_data).toEqual({
      long: `${'a'.repeat(16)}…[truncated 24 chars]`,
      nested: { deep: `${'b'.repeat(16)}…[truncated 1 chars]` },
      list: ['c'.repeat(16), `${'d'.repeat(16)}…[truncated 4 chars]`],
    });
    expect(reporter.stats().coerced.eventData).toBe(1);
  });

  it('a string returned by beforeSend is cut the same way', async () => {
    const { reporter, sink, settleAll } = setup({
      maxStringLength: 16,
      beforeSend: (event) => (event.event === 'GENERIC_EVENT' ? { ...event, event_data: { note: 'n'.repeat(30) } } : event),
    });
    reporter.log('e');
    await settleAll(reporter.flush());
    expect(userEvents(sink.events)[0]!.event_data).toEqual({ note: `${'n'.repeat(16)}…[truncated 14 chars]` });
  });

  it('keeps event_data of exactly maxEventBytes and replaces one byte more by { truncated, original_bytes }', () => {
    // {"s":"…"} is 8 bytes plus the string.
    const atLimit = redact({ s: 'x'.repeat(248) }, { maxEventBytes: 256 });
    expect(atLimit.data).toEqual({ s: 'x'.repeat(248) });
    expect(atLimit.counters.coerced.oversized).toBe(0);

    const over = redact({ s: 'x'.repeat(249) }, { maxEventBytes: 256 });
    expect(over.data).toEqual({ truncated: true, original_bytes: 257 });
    expect(over.counters.coerced.oversized).toBe(1);

    const nested = redact({ a: { b: ['y'.repeat(300)] } }, { maxEventBytes: 256 });
    expect(nested.data).toEqual({ truncated: true, original_bytes: Buffer.byteLength(JSON.stringify({ a: { b: ['y'.repeat(300)] } })) });
  });

  it.each([
    ['multi-byte characters', { s: 'é'.repeat(200) }],
    ['characters JSON escapes', { s: '\u0001'.repeat(50) }],
    ['quotes and backslashes', { s: '"\\'.repeat(70) }],
    ['multi-byte keys', { ['ключ'.repeat(40)]: 1 }],
    ['many short keys', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`\u0002${i}`, true]))],
  ])('measures UTF-8 bytes of the JSON as sent, not characters: %s', (_, data) => {
    const bytes = Buffer.byteLength(JSON.stringify(data));
    expect(bytes).toBeGreaterThan(256);
    const { data: result, counters } = redact(data, { maxEventBytes: 256 });
    expect(result).toEqual({ truncated: true, original_bytes: bytes });
    expect(counters.coerced.oversized).toBe(1);
  });

  it('measures after redaction and content replacement: a secret or raw content that goes does not count', () => {
    expect(redact({ password: 'p'.repeat(1000) }, { maxEventBytes: 256 }).data).toEqual({ password: REDACTED });
    expect(redact({ content: 'c'.repeat(1000) }, { maxEventBytes: 256 }).data).toEqual({ content: { redacted: true, chars: 1000 } });
    expect(redact({ content: 'c'.repeat(1000) }, { maxEventBytes: 256, captureContent: true }).data).toEqual({ truncated: true, original_bytes: 1014 });
  });

  it('through the reporter: the sink gets the marker, stats count coerced.oversized, the event is still delivered', async () => {
    const { reporter, sink, settleAll } = setup({ maxEventBytes: 256 });
    expect(reporter.log('big', { blob: 'z'.repeat(1000) })).toBe(true);
    expect(reporter.log('small', { ok: true })).toBe(true);
    await settleAll(reporter.flush());
    expect(userEvents(sink.events).map((e) => [e.event_name, e.event_data])).toEqual([
      ['big', { truncated: true, original_bytes: 1011 }],
      ['small', { ok: true }],
    ]);
    expect(reporter.stats()).toMatchObject({ delivered: 3, coerced: { oversized: 1 } });
  });
});

describe('beforeSend', () => {
  it('sees the wire event after redaction (event_id empty) and may change severity, name and data', async () => {
    const seen: TelemetryEvent[] = [];
    const beforeSend: BeforeSend = (event) => {
      seen.push(event);
      if (event.event !== 'GENERIC_EVENT') return { ...event, error_message: 'scrubbed', severity: 'WARNING' };
      return { ...event, severity: 'DEBUG', event_name: `app.${event.event_name}`, event_data: { ...event.event_data, region: 'eu' } };
    };
    const { reporter, sink, settleAll } = setup({ beforeSend });
    expect(reporter.log('login', { user: 'ada', password: 'p' }, 'info')).toBe(true);
    expect(reporter.logException(new Error('secret detail'))).toBe(true);
    await settleAll(reporter.flush());
    expect(seen[0]).toMatchObject({ event: 'GENERIC_EVENT', event_id: '', event_name: 'login', event_data: { user: 'ada', password: REDACTED } });
    expect(sink.events.slice(1)).toEqual([
      expect.objectContaining({ event_name: 'app.login', severity: 'DEBUG', event_data: { user: 'ada', password: REDACTED, region: 'eu' } }),
      expect.objectContaining({ event: 'UNHANDLED_EXCEPTION', severity: 'WARNING', error_message: 'scrubbed', error_type: 'Error' }),
    ]);
    expect(sink.events.every((e) => e.event_id !== '')).toBe(true);
  });

  it('null drops the event as `filtered`: log() returns false and the sink never sees it', async () => {
    const { reporter, sink, settleAll } = setup({ beforeSend: (e) => (e.event === 'GENERIC_EVENT' && e.event_name.startsWith('debug.') ? null : e) });
    expect(reporter.log('debug.trace', { x: 1 })).toBe(false);
    expect(reporter.log('kept')).toBe(true);
    await settleAll(reporter.flush());
    expect(userEvents(sink.events).map((e) => e.event_name)).toEqual(['kept']);
    expect(reporter.stats()).toMatchObject({ accepted: 3, dropped: { filtered: 1, invalid: 0 } });
    expect(generic(sink.events, 'telemetry.health')[0]?.event_data).toMatchObject({ dropped: { filtered: 1 }, total: 1 });
  });

  it('a throw drops the event as `invalid`; log(), logException() and track() return false and never throw', async () => {
    const { reporter, sink, settleAll } = setup({
      beforeSend: (e) => {
        if (e.event === 'GENERIC_EVENT' && e.event_name.startsWith('telemetry.')) return e;
        throw new Error('hook bug');
      },
    });
    let results: boolean[] = [];
    expect(() => {
      results = [reporter.log('e'), reporter.logException(new Error('x')), reporter.track({ type: 'tool_called', tool: 't', latency_ms: 1, success: true })];
    }).not.toThrow();
    expect(results).toEqual([false, false, false]);
    await settleAll(reporter.flush());
    expect(userEvents(sink.events)).toEqual([]);
    expect(sink.events.filter((e) => e.event === 'UNHANDLED_EXCEPTION')).toEqual([]);
    expect(reporter.stats().dropped).toMatchObject({ invalid: 3, filtered: 0 });
  });

  it.each<[string, (e: TelemetryEvent) => unknown]>([
    ['undefined', () => undefined],
    ['a string', () => 'event'],
    ['a number', () => 42],
    ['an array', (e) => [e]],
    ['another kind', (e) => ({ ...e, event: 'UNHANDLED_EXCEPTION', error_type: 'E', error_message: 'm' })],
    ['an unknown severity', (e) => ({ ...e, severity: 'LOUD' })],
    ['an empty event_name', (e) => ({ ...e, event_name: '' })],
    ['event_data that is not an object', (e) => ({ ...e, event_data: 'flat' })],
    ['event_data that is an array', (e) => ({ ...e, event_data: [1, 2] })],
  ])('an answer that is %s drops the event as `invalid`', async (_, answer) => {
    const { reporter, sink, settleAll } = setup({
      beforeSend: ((e: TelemetryEvent) => (e.event === 'GENERIC_EVENT' && e.event_name === 'probe' ? answer(e) : e)) as BeforeSend,
    });
    expect(reporter.log('probe', { a: 1 })).toBe(false);
    await settleAll(reporter.flush());
    expect(generic(sink.events, 'probe')).toEqual([]);
    expect(reporter.stats().dropped).toMatchObject({ invalid: 1, filtered: 0 });
  });

  it('never sees SESSION_START or SESSION_END, which are sent even when it drops everything else', async () => {
    const kinds: string[] = [];
    const { reporter, sink, settleAll } = setup({ beforeSend: (e) => (kinds.push(e.event), null) });
    reporter.log('a');
    await settleAll(reporter.stop());
    expect(kinds).not.toContain('SESSION_START');
    expect(kinds).not.toContain('SESSION_END');
    expect(sink.events.map((e) => e.event)).toEqual(['SESSION_START', 'SESSION_END']);
  });

  it('a hook that drops the reporter’s own reports does not make them count, or report, themselves', async () => {
    // Everything is filtered, the health reports included: only the user's event is a loss.
    const { scheduler, reporter, settleAll, runUntil } = setup({ beforeSend: () => null });
    expect(reporter.log('a')).toBe(false);
    runUntil(60_000);
    expect(reporter.stats().dropped).toMatchObject({ filtered: 1, invalid: 0 });
    // Nothing left to do: no report timer keeps re-arming itself.
    expect(scheduler.actions).toHaveLength(0);
    await settleAll(reporter.stop());
    expect(reporter.stats().dropped).toMatchObject({ filtered: 1, invalid: 0 });
  });
});

describe('content capture', () => {
  const prompt = 'What is the capital of France?'; // 30 chars
  const answer = 'Paris.'; // 6 chars
  const generation: Generation = { type: 'generation', model: 'm-1', input: prompt, output: answer, start_time: '2026-01-01T00:00:00.000Z', end_time: '2026-01-01T00:00:01.000Z' };
  const tool: ToolExecution = { type: 'tool_execution', tool: 'search', input: { q: 'paris' }, output: ['Paris'], latency_ms: 5, success: true };
  const RAW = {
    chat: { content: 'héllo world', turn: 1 },
    note: { content: { role: 'user', text: 'hi' } },
    generation: { input: prompt, output: answer },
    tool: { input: { q: 'paris' }, output: ['Paris'] },
    direct: { input: 'typed by hand', output: 'raw too' },
    form: { input: 'not content', content_type: 'text/plain' },
  };
  const REDACTED_VIEW = {
    chat: { content: { redacted: true, chars: 11 }, turn: 1 },
    note: { content: { redacted: true, chars: JSON.stringify({ role: 'user', text: 'hi' }).length } },
    generation: { input: { redacted: true, chars: 30 }, output: { redacted: true, chars: 6 } },
    tool: { input: { redacted: true, chars: 13 }, output: { redacted: true, chars: 9 } },
    direct: { input: { redacted: true, chars: 13 }, output: { redacted: true, chars: 7 } },
    // `input` is content only for the typed generation and tool events; `content_type` is not `content`.
    form: { input: 'not content', content_type: 'text/plain' },
  };

  /** Logs one of each kind of content; returns what one sink got, keyed like RAW. */
  function logAll(reporter: ReturnType<typeof setup>['reporter']): void {
    reporter.log('chat', { content: 'héllo world', turn: 1 });
    reporter.log('note', { content: { role: 'user', text: 'hi' } });
    reporter.track(generation);
    reporter.track(tool);
    reporter.log('llm.generation', { input: 'typed by hand', output: 'raw too' });
    reporter.log('form', { input: 'not content', content_type: 'text/plain' });
  }
  function received(events: readonly TelemetryEvent[]) {
    const [chat, note, gen, toolEvent, direct, form] = userEvents(events).map((e) => e.event_data);
    const pick = (data: Record<string, unknown> | undefined, keys: string[]) => Object.fromEntries(keys.map((k) => [k, data?.[k]]));
    return {
      chat,
      note,
      generation: pick(gen, ['input', 'output']),
      tool: pick(toolEvent, ['input', 'output']),
      direct,
      form,
    };
  }

  it.each<[boolean, ContentCapture | undefined, 'raw' | 'redacted']>([
    [false, 'redacted', 'redacted'],
    [false, 'raw', 'redacted'],
    [false, undefined, 'redacted'],
    [true, 'redacted', 'redacted'],
    [true, undefined, 'redacted'],
    [true, 'raw', 'raw'],
  ])('captureContent %p × sink contentCapture %p → %s', async (captureContent, contentCapture, expected) => {
    const { reporter, sink, settleAll } = setup({ captureContent }, [{ name: 'only', ...(contentCapture === undefined ? {} : { contentCapture }) }]);
    logAll(reporter);
    await settleAll(reporter.flush());
    expect(received(sink.events)).toEqual(expected === 'raw' ? RAW : REDACTED_VIEW);
  });

  it.each([false, true])('two sinks at once (raw and redacted), captureContent %p: each gets what both switches allow', async (captureContent) => {
    const { reporter, sinks, settleAll } = setup({ captureContent }, [
      { name: 'raw', contentCapture: 'raw' },
      { name: 'redacted', contentCapture: 'redacted' },
    ]);
    logAll(reporter);
    await settleAll(reporter.flush());
    expect(received(sinks[0]!.events)).toEqual(captureContent ? RAW : REDACTED_VIEW);
    expect(received(sinks[1]!.events)).toEqual(REDACTED_VIEW);
    // The same events, the same ids: only the content differs.
    expect(sinks[1]!.events.map((e) => e.event_id)).toEqual(sinks[0]!.events.map((e) => e.event_id));
  });

  it('content inside is still redacted by key when it is captured raw', async () => {
    const { reporter, sink, settleAll } = setup({ captureContent: true }, [{ name: 'raw', contentCapture: 'raw' }]);
    reporter.log('chat', { content: { text: 'hi', api_key: 'sk-123' } });
    await settleAll(reporter.flush());
    expect(userEvents(sink.events)[0]!.event_data).toEqual({ content: { text: 'hi', api_key: REDACTED } });
  });

  describe('recordInputs / recordOutputs of typed events', () => {
    const cases: [string, Record<string, boolean>, { input: 'raw' | 'redacted'; output: 'raw' | 'redacted' }][] = [
      ['neither switch', {}, { input: 'raw', output: 'raw' }],
      ['recordInputs: false', { recordInputs: false }, { input: 'redacted', output: 'raw' }],
      ['recordOutputs: false', { recordOutputs: false }, { input: 'raw', output: 'redacted' }],
      ['both false', { recordInputs: false, recordOutputs: false }, { input: 'redacted', output: 'redacted' }],
      ['both true', { recordInputs: true, recordOutputs: true }, { input: 'raw', output: 'raw' }],
    ];
    const expectedFor = (which: 'raw' | 'redacted', raw: unknown, chars: number) => (which === 'raw' ? raw : { redacted: true, chars });

    it.each(cases)('with captureContent and a raw sink, %s', async (_, switches, expected) => {
      const { reporter, sinks, settleAll } = setup({ captureContent: true }, [
        { name: 'raw', contentCapture: 'raw' },
        { name: 'redacted', contentCapture: 'redacted' },
      ]);
      expect(reporter.track({ ...generation, ...switches })).toBe(true);
      expect(reporter.track({ ...tool, ...switches })).toBe(true);
      await settleAll(reporter.flush());
      const [gen, toolEvent] = userEvents(sinks[0]!.events).map((e) => e.event_data);
      expect(gen).toMatchObject({ input: expectedFor(expected.input, prompt, 30), output: expectedFor(expected.output, answer, 6) });
      expect(toolEvent).toMatchObject({ input: expectedFor(expected.input, { q: 'paris' }, 13), output: expectedFor(expected.output, ['Paris'], 9) });
      // The redacted sink sees sizes of the original content, never a size of the size.
      const [gen2, tool2] = userEvents(sinks[1]!.events).map((e) => e.event_data);
      expect(gen2).toMatchObject({ input: { redacted: true, chars: 30 }, output: { redacted: true, chars: 6 } });
      expect(tool2).toMatchObject({ input: { redacted: true, chars: 13 }, output: { redacted: true, chars: 9 } });
      for (const data of [gen, toolEvent, gen2, tool2]) {
        expect(data).not.toHaveProperty('recordInputs');
        expect(data).not.toHaveProperty('recordOutputs');
      }
    });

    it('recordInputs: true cannot turn capture on when the reporter’s captureContent is off', async () => {
      const { reporter, sink, settleAll } = setup({ captureContent: false }, [{ name: 'raw', contentCapture: 'raw' }]);
      reporter.track({ ...generation, recordInputs: true, recordOutputs: true });
      await settleAll(reporter.flush());
      expect(userEvents(sink.events)[0]!.event_data).toMatchObject({ input: { redacted: true, chars: 30 }, output: { redacted: true, chars: 6 } });
    });
  });

  it('with captureContent off, raw content never shows in events$ (live or replayed) nor in beforeSend', async () => {
    const hooked: string[] = [];
    const { reporter, settleAll } = setup({ beforeSend: (e) => (hooked.push(JSON.stringify(e)), e) }, [{ name: 'raw', contentCapture: 'raw' }]);
    const live: EventView[] = [];
    reporter.events$.subscribe((v) => live.push(v));
    logAll(reporter);
    const replayed: EventView[] = [];
    reporter.events$.subscribe((v) => replayed.push(v)).unsubscribe();
    await settleAll(reporter.stop());
    expect(live.length).toBeGreaterThanOrEqual(7);
    expect(replayed.length).toBeGreaterThanOrEqual(7);
    for (const text of [JSON.stringify(live), JSON.stringify(replayed), hooked.join('\n')]) {
      expect(text).not.toMatch(/héllo|capital of France|Paris|typed by hand|raw too|"role"/);
      expect(text).toContain('"redacted":true');
    }
  });

  it('with captureContent on, events$ (in process) shows the content as accepted', async () => {
    const { reporter, settleAll } = setup({ captureContent: true });
    const views: EventView[] = [];
    reporter.events$.subscribe((v) => views.push(v));
    reporter.log('chat', { content: 'héllo world' });
    await settleAll(reporter.flush());
    expect(views.find((v) => v.event === 'GENERIC_EVENT' && v.event_name === 'chat')).toMatchObject({ event_data: { content: 'héllo world' } });
  });
});

describe('keys named __proto__, constructor and prototype', () => {
  const HOSTILE = '{"__proto__":{"password":"p","ok":1},"constructor":{"prototype":{"token":"t","keep":2}},"prototype":"x"}';
  const REDACTED_JSON = '{"__proto__":{"password":"[REDACTED]","ok":1},"constructor":{"prototype":{"token":"[REDACTED]","keep":2}},"prototype":"x"}';

  it('redaction keeps them own keys, redacts inside them, and adds no key where the input had none', () => {
    const { data } = redact(JSON.parse(HOSTILE) as Record<string, unknown>);
    expect(JSON.stringify(data)).toBe(REDACTED_JSON);
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    const enumerated: string[] = [];
    for (const key in data) enumerated.push(key);
    expect(enumerated).not.toContain('password');
  });

  it('a __proto__ key that matches a rule is redacted like any other', () => {
    const { data } = redact(JSON.parse('{"__proto__":{"a":1},"b":2}') as Record<string, unknown>, { redactKeys: [/^__proto__$/] });
    expect(JSON.stringify(data)).toBe('{"__proto__":"[REDACTED]","b":2}');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it('through the reporter: sanitised, redacted, seen by beforeSend and delivered as own keys; nothing shows at the top level', async () => {
    const seen: string[] = [];
    const { reporter, sink, settleAll } = setup({
      beforeSend: (event) => {
        if (event.event === 'GENERIC_EVENT' && event.event_name === 'proto') seen.push(JSON.stringify(event.event_data));
        return event;
      },
    });
    expect(reporter.log('proto', JSON.parse(HOSTILE))).toBe(true);
    // Nested one level deeper, so the walker (not the flat fast path) copies the top level too.
    expect(reporter.log('proto', { nested: JSON.parse(HOSTILE), list: [JSON.parse(HOSTILE)] })).toBe(true);
    await settleAll(reporter.flush());
    const delivered = generic(sink.events, 'proto').map((e) => JSON.stringify(e.event_data));
    expect(delivered).toEqual([REDACTED_JSON, `{"nested":${REDACTED_JSON},"list":[${REDACTED_JSON}]}`]);
    expect(seen).toEqual(delivered);
    expect(({} as Record<string, unknown>)['password']).toBeUndefined();
  });
});

describe('hostile data through the reporter', () => {
  it('data over the work budget is delivered as { truncated, original_bytes_at_least }, counted as oversized', async () => {
    const { reporter, sink, settleAll } = setup();
    let nested: unknown = { a: 1 };
    for (let level = 0; level < 9; level++) nested = Array.from({ length: 1000 }, () => nested);
    expect(reporter.log('shared', { nested })).toBe(true);
    await settleAll(reporter.flush());
    expect(generic(sink.events, 'shared')[0]!.event_data).toEqual({ truncated: true, original_bytes_at_least: expect.any(Number) });
    expect(reporter.stats().coerced).toMatchObject({ oversized: 1, eventData: 0 });
  });

  it.each([false, true])('a typed event’s raw content is measured within the work budget (captureContent %p, recordInputs false)', async (captureContent) => {
    const { reporter, sink, settleAll } = setup({ captureContent });
    let reads = 0;
    const row = new Proxy(Array.from({ length: 100 }, (_, i) => i), {
      get: (target, key, receiver) => ((typeof key === 'string' && /^\d+$/.test(key) && reads++), Reflect.get(target, key, receiver) as unknown),
    });
    // 1,000,000 paths to the same 100 numbers: JSON.stringify would read them all.
    const input = Array.from({ length: 100 }, () => Array.from({ length: 100 }, () => row));
    expect(reporter.track({ type: 'generation', model: 'm', input, output: 'ok', recordInputs: false, start_time: '2026-01-01T00:00:00.000Z', end_time: '2026-01-01T00:00:01.000Z' })).toBe(true);
    await settleAll(reporter.flush());
    expect(generic(sink.events, 'llm.generation')[0]!.event_data['input']).toEqual({ redacted: true, chars: expect.any(Number) });
    expect(reads).toBeLessThanOrEqual(nodeBudget());
  });

  it('a beforeSend answer over the work budget is replaced the same way, and counted', async () => {
    const { reporter, sink, settleAll } = setup({
      beforeSend: (event) => (event.event === 'GENERIC_EVENT' && event.event_name === 'e' ? { ...event, event_data: { keys: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])) } } : event),
    });
    expect(reporter.log('e', { small: true })).toBe(true);
    await settleAll(reporter.flush());
    expect(generic(sink.events, 'e')[0]!.event_data).toEqual({ truncated: true, original_bytes_at_least: expect.any(Number) });
    expect(reporter.stats().coerced.oversized).toBe(1);
  });
});
