import { describe, expect, it } from '@jest/globals';
import { parseOptions } from '../../src/config/parse-options.js';
import { parseEnvSwitch } from '../../src/config/env.js';
import { ReporterOptions } from '../../src/config/options.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { isRxtelError } from '../../src/errors/guards.js';
import { createReporter } from '../../src/create-reporter.js';
import { InMemorySink } from '../../src/sinks/in-memory-sink.js';
import { expectNoPieceOf, UNSENDABLE_SECRETS } from '../helpers/secrets.js';

const noEnv = () => undefined;
const env = (values: Record<string, string>) => (name: string) => values[name];
const base = { endpoint: 'http://127.0.0.1:4318' };

function configError(options: unknown, read: (name: string) => string | undefined = noEnv): ConfigError {
  try {
    parseOptions(options as never, read);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(isRxtelError(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseOptions', () => {
  it('fills the defaults of DESIGN §2', () => {
    const config = parseOptions(base, noEnv);
    expect(config).toMatchObject({
      enabled: true,
      flushIntervalMs: 10_000,
      flushThreshold: 100,
      flushTimeoutMs: 30_000,
      httpTimeoutMs: 5000,
      maxRetries: 3,
      retryBaseDelayMs: 1000,
      maxQueueSize: 10_000,
      maxBatchSize: 100,
      maxStringLength: 8192,
    });
    expect(config.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('derives the default byte bound from maxQueueSize: 32 MiB per 10,000 events, at least 64 KiB; an explicit one wins', () => {
    expect(parseOptions(base, noEnv).maxQueueBytes).toBe(32 * 1024 * 1024);
    expect(parseOptions({ ...base, maxQueueSize: 200_000 }, noEnv).maxQueueBytes).toBe(640 * 1024 * 1024);
    expect(parseOptions({ ...base, maxQueueSize: 8 }, noEnv).maxQueueBytes).toBe(65_536);
    expect(parseOptions({ ...base, maxQueueSize: 200_000, maxQueueBytes: 1_000_000 }, noEnv).maxQueueBytes).toBe(1_000_000);
  });

  it.each([
    ['maxBatchSize', 0, /Invalid option `maxBatchSize`: expected an integer from 1 to 10000, got `0` \(number\)/],
    ['maxBatchSize', 1.5, /`maxBatchSize`.*got `1.5` \(number\)/],
    ['endpoint', 'not a url', /Invalid option `endpoint`: expected an http\(s\) URL, got `not a url` \(string\)/],
    ['endpoint', 'ftp://host', /`endpoint`.*http\(s\) URL.*`ftp:\/\/host`/],
    ['flushIntervalMs', -1, /`flushIntervalMs`.*from 0 and up.*`-1`/],
    ['flushTimeoutMs', -5, /`flushTimeoutMs`.*`-5`/],
    ['httpTimeoutMs', 0, /`httpTimeoutMs`.*`0`/],
    ['retryBaseDelayMs', Number.NaN, /`retryBaseDelayMs`.*`NaN`/],
    ['maxRetries', 101, /`maxRetries`.*from 0 to 100.*`101`/],
    ['maxQueueSize', 4, /`maxQueueSize`.*from 8 and up.*`4`/],
    ['sessionId', 'abc', /`sessionId`.*UUID.*`abc`/],
    ['enabled', 'yes', /`enabled`.*boolean.*`yes` \(string\)/],
    ['sinks', [], /`sinks`.*at least one sink/],
    ['sinks', [{}], /`sinks.0`.*Sink/],
    ['scheduler', {}, /`scheduler`.*SchedulerLike/],
    ['logger', console.log, /`logger`.*warn/],
  ])('refuses %s = %p with a message naming both', (option, value, message) => {
    const error = configError({ ...base, [option]: value });
    expect(error.option).toMatch(new RegExp(`^${option}`));
    expect(error.message).toMatch(message);
    expect(error.code).toBe('ERR_RXTEL_CONFIG');
  });

  it('names an unknown option', () => {
    expect(configError({ ...base, flushIntervalMS: 5 }).message).toMatch(/Unknown option `flushIntervalMS`/);
  });

  it.each([
    ['flushIntervalMS', 'flushIntervalMs'],
    ['apikey', 'apiKey'],
    ['endpont', 'endpoint'],
    ['maxQueueByte', 'maxQueueBytes'],
    ['sink', 'sinks'],
  ])('refuses the unknown option %s with the closest valid name, %s, before any other problem', (unknown, meant) => {
    const error = configError({ [unknown]: 'tml-Qz7Xk9Vw2Lp' });
    expect(error.option).toBe(unknown);
    expect(error.message).toBe(`Unknown option \`${unknown}\`: did you mean \`${meant}\`?`);
    expectNoPieceOf('tml-Qz7Xk9Vw2Lp', String(error.stack));
    expect(() => createReporter({ ...base, [unknown]: 1 } as never)).toThrow(`did you mean \`${meant}\`?`);
  });

  it('refuses an unknown option like none of them without a guess', () => {
    expect(configError({ ...base, colour: 'red' }).message).toBe('Unknown option `colour`: no such option (check its spelling)');
  });

  it('keeps the rule across options inside the schema: the reserve is fewer slots than the queue', () => {
    expect(ReporterOptions.safeParse({ maxQueueSize: 10, terminalReserve: 10 }).success).toBe(false);
    expect(ReporterOptions.safeParse({ maxQueueSize: 10, terminalReserve: 9 }).success).toBe(true);
    // Derived from the defaults: 4 slots of 10000.
    expect(ReporterOptions.safeParse({ maxQueueSize: 8 }).success).toBe(true);
    expect(configError({ maxQueueSize: 4 }).option).toBe('maxQueueSize');
  });

  it('never echoes the API key', () => {
    const error = configError({ ...base, apiKey: 42 });
    expect(error.message).toMatch(/`apiKey`.*not shown/);
    expect(configError({ ...base, apiKey: '' }).message).not.toContain('""');
  });

  it('refuses a non-object', () => {
    expect(configError('http://x').message).toMatch(/expected an object, got `http:\/\/x` \(string\)/);
  });

  it('requires an endpoint when enabled without sinks, and reads RXTEL_ENDPOINT / RXTEL_API_KEY', () => {
    expect(configError({}).option).toBe('endpoint');
    const config = parseOptions({}, env({ RXTEL_ENDPOINT: 'https://t.example', RXTEL_API_KEY: 'k' }));
    expect(config).toMatchObject({ endpoint: 'https://t.example', apiKey: 'k' });
    expect(configError({}, env({ RXTEL_ENDPOINT: 'nope' })).message).toMatch(/RXTEL_ENDPOINT/);
    expect(parseOptions({ sinks: [new InMemorySink()] }, noEnv).endpoint).toBeUndefined();
    expect(parseOptions({ enabled: false }, noEnv).enabled).toBe(false);
  });

  it('refuses two sinks with one name (stats and health key on it)', () => {
    expect(configError({ sinks: [new InMemorySink(), new InMemorySink()] }).message).toMatch(/sinks with different names/);
    expect(() => parseOptions({ sinks: [new InMemorySink(), new InMemorySink({ name: 'second' })] })).not.toThrow();
  });

  it('refuses an empty sink list and a reserve as large as the queue', () => {
    expect(configError({ sinks: [] }).option).toBe('sinks');
    expect(configError({ maxQueueSize: 10, terminalReserve: 10 }).message).toMatch(/terminalReserve.*fewer slots than maxQueueSize \(10\), got 10/);
  });
});

describe('the API key as a header value', () => {
  it.each(UNSENDABLE_SECRETS)('option apiKey with %s: a ConfigError naming apiKey, without the key', (_label, secret, kind) => {
    const error = configError({ ...base, apiKey: secret });
    expect(error.option).toBe('apiKey');
    expect(error.message).toMatch(/^Invalid option `apiKey`: expected a valid HTTP header value/);
    expect(error.message).toMatch(kind);
    expectNoPieceOf(secret, error.message);
  });

  it.each(UNSENDABLE_SECRETS)('env RXTEL_API_KEY with %s: a ConfigError naming the variable, without the key', (_label, secret, kind) => {
    const error = configError(base, env({ RXTEL_API_KEY: secret }));
    expect(error.option).toBe('apiKey');
    expect(error.message).toMatch(/^Invalid env RXTEL_API_KEY: expected a valid HTTP header value/);
    expect(error.message).toMatch(kind);
    expectNoPieceOf(secret, error.message);
  });

  it.each(UNSENDABLE_SECRETS)('createReporter({ apiKey }) with %s throws the ConfigError, not a TypeError from Headers', (_label, secret) => {
    let thrown: unknown;
    try {
      createReporter({ ...base, apiKey: secret, flushIntervalMs: 0 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ option: 'apiKey' });
    expectNoPieceOf(secret, String((thrown as Error).stack));
  });

  it('trims the key as fetch would; a blank variable sends no key, a blank option is refused', () => {
    expect(parseOptions({ ...base, apiKey: ' tml-key\n' }, noEnv).apiKey).toBe('tml-key');
    expect(parseOptions(base, env({ RXTEL_API_KEY: 'tml-key\r\n' })).apiKey).toBe('tml-key');
    expect(parseOptions(base, env({ RXTEL_API_KEY: '' })).apiKey).toBeUndefined();
    expect(parseOptions(base, env({ RXTEL_API_KEY: ' \n' })).apiKey).toBeUndefined();
    expect(configError({ ...base, apiKey: '  ' }).message).toBe('Invalid option `apiKey`: expected a non-empty string, got only whitespace');
  });

  it('the option wins: a bad RXTEL_API_KEY is not read when apiKey is given', () => {
    expect(parseOptions({ ...base, apiKey: 'tml-key' }, env({ RXTEL_API_KEY: 'bad\nkey' })).apiKey).toBe('tml-key');
  });
});

describe('enablement', () => {
  it.each([
    // option, env value, enabled, warns
    [undefined, undefined, true, false],
    [undefined, '', true, false],
    [undefined, '  ', true, false],
    [undefined, '1', true, false],
    [undefined, 'TRUE', true, false],
    [undefined, ' yes ', true, false],
    [undefined, 'On', true, false],
    [undefined, '0', false, false],
    [undefined, 'false', false, false],
    [undefined, 'NO', false, false],
    [undefined, ' off\n', false, false],
    [undefined, 'maybe', true, true],
    [true, '0', true, false],
    [false, '1', false, false],
    [false, 'maybe', false, false],
  ])('enabled=%p, RXTEL_TELEMETRY=%p → %p (warns: %p)', (enabled, value, expected, warns) => {
    const warnings: string[] = [];
    const read = env(value === undefined ? {} : { RXTEL_TELEMETRY: value });
    const options = { ...base, logger: { warn: (m: string) => warnings.push(m) }, ...(enabled === undefined ? {} : { enabled }) };
    expect(parseOptions(options, read).enabled).toBe(expected);
    expect(warnings.length > 0).toBe(warns);
  });

  it('parses the switch', () => {
    expect(['1', 'x', '', 'off'].map((v) => parseEnvSwitch(v))).toEqual(['on', 'unknown', 'unset', 'off']);
  });

  it('createReporter returns a no-op reporter when disabled, and throws ConfigError on bad options', () => {
    expect(createReporter({ enabled: false }).enabled).toBe(false);
    expect(() => createReporter({ ...base, maxBatchSize: 0 })).toThrow(ConfigError);
  });
});

describe('the durable spool option', () => {
  const base = { sinks: [{ name: 'memory', export: async () => ({ status: 'success' as const }), shutdown: async () => undefined }] };
  it('is off by default, on with the option (defaults filled) or with RXTEL_SPOOL_DIR; the option wins', () => {
    expect(parseOptions(base, () => undefined).spool).toBeUndefined();
    expect(parseOptions({ ...base, spool: { dir: '/tmp/a' } }, () => undefined).spool).toEqual({ dir: '/tmp/a', maxBytes: 256 * 1024 * 1024, writeIntervalMs: 100, fsync: 'interval' });
    const env = (name: string) => (name === 'RXTEL_SPOOL_DIR' ? ' /tmp/from-env ' : undefined);
    expect(parseOptions(base, env).spool).toMatchObject({ dir: '/tmp/from-env', fsync: 'interval' });
    expect(parseOptions({ ...base, spool: { dir: '/tmp/b', fsync: 'never' } }, env).spool).toMatchObject({ dir: '/tmp/b', fsync: 'never' });
  });

  it('refuses a bad spool option with a ConfigError naming it', () => {
    expect(() => parseOptions({ ...base, spool: { dir: '' } }, () => undefined)).toThrow(/spool\.dir/);
    expect(() => parseOptions({ ...base, spool: { dir: '/tmp/a', fsync: 'always' as 'never' } }, () => undefined)).toThrow(/spool\.fsync/);
    expect(() => parseOptions({ ...base, spool: { dir: '/tmp/a', writeIntervalMs: 0 } }, () => undefined)).toThrow(/spool\.writeIntervalMs/);
  });
});
