import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { ConfigError } from '../../src/errors/config-error.js';
import { isRxtelError } from '../../src/errors/guards.js';
import { ConsoleSink } from '../../src/sinks/console-sink.js';
import { heliconeHeaders, heliconeKyHooks } from '../../src/sinks/helicone.js';
import { InMemorySink } from '../../src/sinks/in-memory-sink.js';
import { LangfuseSink } from '../../src/sinks/langfuse-sink.js';
import { NdjsonFileSink } from '../../src/sinks/ndjson-file-sink.js';
import { OtlpHttpSink } from '../../src/sinks/otlp-http-sink.js';
import { TinkerHttpSink } from '../../src/sinks/tinker-http-sink.js';
import { expectNoPieceOf, UNSENDABLE_SECRETS } from '../helpers/secrets.js';

/**
 * Every built-in sink (and the Helicone helpers) reads its options through the one parser of
 * src/schema/parse.ts: a bad or unknown option is a ConfigError naming the sink, the option and
 * the value, an unknown option gets the closest valid name, and a secret is never shown.
 */

// Letters chosen to appear in no message by chance.
const SECRET = 'tml-Qz7Xk9Vw2Lp';

function thrownBy(make: () => unknown): ConfigError {
  let thrown: unknown;
  try {
    make();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  expect(isRxtelError(thrown)).toBe(true);
  expect(thrown).toMatchObject({ code: 'ERR_RXTEL_CONFIG', name: 'ConfigError' });
  return thrown as ConfigError;
}

const make = {
  TinkerHttpSink: (options: object) => new TinkerHttpSink({ endpoint: 'http://127.0.0.1:4318', ...options }),
  OtlpHttpSink: (options: object) => new OtlpHttpSink({ endpoint: 'http://127.0.0.1:4318', ...options }),
  LangfuseSink: (options: object) => new LangfuseSink({ baseUrl: 'https://cloud.langfuse.com', publicKey: 'pk-lf-x', secretKey: 'sk-lf-x', ...options }),
  NdjsonFileSink: (options: object) => new NdjsonFileSink({ path: 'unused.ndjson', ...options }),
  ConsoleSink: (options: object) => new ConsoleSink({ stream: new PassThrough(), ...options }, {}),
  InMemorySink: (options: object) => new InMemorySink(options),
  heliconeHeaders: (options: object) => heliconeHeaders({ apiKey: 'sk-helicone-x', ...options }),
  heliconeKyHooks: (options: object) => heliconeKyHooks({ apiKey: 'sk-helicone-x', ...options }),
} as const;

describe('the examples of issue 14', () => {
  it("new TinkerHttpSink({ endpoint: '127.0.0.1:4319' }) is refused at construction (no scheme), not at the first request", () => {
    const error = thrownBy(() => new TinkerHttpSink({ endpoint: '127.0.0.1:4319' }));
    expect(error.option).toBe('endpoint');
    expect(error.message).toBe('Invalid option `endpoint` of TinkerHttpSink: expected an http(s) URL, got `127.0.0.1:4319` (string)');
  });

  it('new TinkerHttpSink({}) is a ConfigError naming the missing endpoint, not a TypeError', () => {
    const error = thrownBy(() => new TinkerHttpSink({} as never));
    expect(error.option).toBe('endpoint');
    expect(error.message).toBe('Missing option `endpoint` of TinkerHttpSink: expected an http(s) URL');
  });

  it("{ apikey: 'k' } is refused with the name it meant, instead of sending no key", () => {
    const error = thrownBy(() => new TinkerHttpSink({ endpoint: 'http://127.0.0.1:4318', apikey: SECRET } as never));
    expect(error.option).toBe('apikey');
    expect(error.message).toBe('Unknown option `apikey` of TinkerHttpSink: did you mean `apiKey`?');
    expectNoPieceOf(SECRET, String(error.stack));
    // Even with the endpoint missing too: the misspelt name is the first thing to fix.
    expect(thrownBy(() => new TinkerHttpSink({ apikey: 'k' } as never)).option).toBe('apikey');
  });
});

describe('every built-in sink', () => {
  it.each([
    ['TinkerHttpSink', { apikey: 'k' }, 'apiKey'],
    ['TinkerHttpSink', { timeout: 10 }, 'timeoutMs'],
    ['OtlpHttpSink', { header: {} }, 'headers'],
    ['OtlpHttpSink', { servicename: 'svc' }, 'serviceName'],
    ['LangfuseSink', { secretkey: 'sk' }, 'secretKey'],
    ['LangfuseSink', { enviroment: 'prod' }, 'environment'],
    ['NdjsonFileSink', { maxfiles: 3 }, 'maxFiles'],
    ['NdjsonFileSink', { fsynch: 'batch' }, 'fsync'],
    ['ConsoleSink', { prety: true }, 'pretty'],
    ['InMemorySink', { nmae: 'x' }, 'name'],
    ['heliconeHeaders', { userID: 'u' }, 'userId'],
    ['heliconeKyHooks', { sessionID: 's' }, 'sessionId'],
  ] as const)('%s refuses the unknown option %j, suggesting `%s`', (owner, options, meant) => {
    const [unknown] = Object.keys(options);
    const error = thrownBy(() => make[owner](options));
    expect(error.option).toBe(unknown);
    expect(error.message).toBe(`Unknown option \`${unknown}\` of ${owner}: did you mean \`${meant}\`?`);
  });

  it.each(Object.keys(make) as (keyof typeof make)[])('%s lists its options when an unknown one is like none of them', (owner) => {
    expect(thrownBy(() => make[owner]({ colour: 'red' })).message).toMatch(new RegExp(`^Unknown option \`colour\` of ${owner}: it takes \`\\w+\`(, \`\\w+\`)*$`));
  });

  it.each([
    ['TinkerHttpSink', { timeoutMs: 0 }, 'timeoutMs', '`0` (number)'],
    ['TinkerHttpSink', { compression: 'br' }, 'compression', '`br` (string)'],
    ['OtlpHttpSink', { endpoint: 'collector:4318' }, 'endpoint', '`collector:4318` (string)'],
    ['OtlpHttpSink', { maxBatchBytes: 1.5 }, 'maxBatchBytes', '`1.5` (number)'],
    ['LangfuseSink', { baseUrl: 'cloud.langfuse.com' }, 'baseUrl', '`cloud.langfuse.com` (string)'],
    ['LangfuseSink', { environment: 'Prod' }, 'environment', '`Prod` (string)'],
    ['NdjsonFileSink', { maxBytes: -1 }, 'maxBytes', '`-1` (number)'],
    ['ConsoleSink', { contentCapture: 'all' }, 'contentCapture', '`all` (string)'],
    ['InMemorySink', { name: '' }, 'name', '`` (string)'],
  ] as const)('%s: %j is a ConfigError naming the sink, the option and the value', (owner, options, option, value) => {
    const error = thrownBy(() => make[owner](options));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(new RegExp(`^Invalid option \`${option}\` of ${owner}: expected .*, got `));
    expect(error.message.endsWith(`got ${value}`)).toBe(true);
  });

  it.each([
    ['TinkerHttpSink', undefined],
    ['OtlpHttpSink', 'http://127.0.0.1:4318'],
    ['LangfuseSink', null],
    ['NdjsonFileSink', 'events.ndjson'],
  ] as const)('%s refuses options that are not an object (%p)', (owner, input) => {
    const Sink = { TinkerHttpSink, OtlpHttpSink, LangfuseSink, NdjsonFileSink }[owner];
    const error = thrownBy(() => new Sink(input as never));
    expect(error.option).toBe('(options)');
    expect(error.message).toMatch(new RegExp(`^Invalid options of ${owner}: expected an object, got `));
  });
});

describe('secrets never appear in a message', () => {
  const unsendable = UNSENDABLE_SECRETS.map(([, secret]) => secret);
  // Every way a secret can reach an options parser badly: wrong type, unsendable, inside a URL, under a misspelt name.
  const cases: [string, string, () => unknown][] = [
    ...[SECRET, ...unsendable].flatMap((secret): [string, string, () => unknown][] => [
      ['TinkerHttpSink apiKey', secret, () => make.TinkerHttpSink({ apiKey: `${secret}\n\u0000` })],
      ['OtlpHttpSink headers', secret, () => make.OtlpHttpSink({ headers: { authorization: `Bearer ${secret}\r\nx: 1` } })],
      ['LangfuseSink publicKey', secret, () => make.LangfuseSink({ publicKey: `${secret}\n`.repeat(2) })],
      ['LangfuseSink secretKey', secret, () => make.LangfuseSink({ secretKey: `\u2603${secret}` })],
      ['heliconeHeaders apiKey', secret, () => make.heliconeHeaders({ apiKey: `${secret}\r\n`.repeat(2) })],
    ]),
    ['TinkerHttpSink apiKey as an array', SECRET, () => make.TinkerHttpSink({ apiKey: [SECRET] })],
    ['TinkerHttpSink apiKey as an object', SECRET, () => make.TinkerHttpSink({ apiKey: { key: SECRET } })],
    ['TinkerHttpSink misspelt apiKey', SECRET, () => make.TinkerHttpSink({ api_key: SECRET })],
    ['TinkerHttpSink endpoint with credentials, bad protocol', SECRET, () => new TinkerHttpSink({ endpoint: `ftp://user:${SECRET}@host` })],
    ['OtlpHttpSink endpoint with credentials', SECRET, () => make.OtlpHttpSink({ endpoint: `http://user:${SECRET}@collector:4318` })],
    ['OtlpHttpSink endpoint with credentials, bad protocol', SECRET, () => make.OtlpHttpSink({ endpoint: `ftp://user:${SECRET}@collector` })],
    ['OtlpHttpSink header value as a number', SECRET, () => make.OtlpHttpSink({ headers: { [SECRET]: 'x', 'x-api-key': 42 } })],
    ['OtlpHttpSink header value under a bad name', SECRET, () => make.OtlpHttpSink({ headers: { 'bad name': SECRET } })],
    ['LangfuseSink keys as objects', SECRET, () => make.LangfuseSink({ publicKey: { SECRET }, secretKey: [SECRET] })],
    ['LangfuseSink misspelt secretKey', SECRET, () => make.LangfuseSink({ secret_key: SECRET })],
    ['LangfuseSink baseUrl with credentials, bad protocol', SECRET, () => make.LangfuseSink({ baseUrl: `ftp://pk:${SECRET}@host` })],
    ['heliconeHeaders apiKey as a number', SECRET, () => heliconeHeaders({ apiKey: 42 as never, properties: { Token: SECRET, 'Bad Name': 'x' } })],
    ['heliconeHeaders property value', SECRET, () => make.heliconeHeaders({ properties: { Token: `${SECRET}\n\u0000` } })],
  ];

  it.each(cases)('%s', (_label, secret, build) => {
    const error = thrownBy(build);
    expectNoPieceOf(secret, String(error.stack));
    expectNoPieceOf(secret, error.option);
  });
});
