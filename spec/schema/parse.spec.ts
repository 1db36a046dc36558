import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ConfigError } from '../../src/errors/config-error.js';
import { closestName } from '../../src/schema/closest-name.js';
import { httpUrl, integer } from '../../src/schema/fields.js';
import { describeValue, NO_ECHO, parseOptionsWith, type OptionsContext } from '../../src/schema/parse.js';
import { expectNoPieceOf } from '../helpers/secrets.js';

const SECRET = 'tml-Qz7Xk9Vw2Lp';
const Options = z
  .strictObject({
    endpoint: httpUrl({ refuseCredentials: 'credentials in the URL are not supported' }),
    apiKey: z.string({ error: 'expected a string' }).min(8, { error: 'expected at least 8 characters' }).optional(),
    limit: integer(1, 10).default(5),
    floor: integer(0).default(0),
  })
  .superRefine((o, ctx) => {
    if (o.floor >= o.limit) ctx.addIssue({ code: 'custom', path: ['floor'], message: `expected less than limit (${o.limit}), got ${o.floor}`, params: NO_ECHO });
  });
const context: OptionsContext = { owner: 'DemoSink', secrets: ['apiKey'] };

function configError(input: unknown, ctx: OptionsContext = context): ConfigError {
  try {
    parseOptionsWith(Options, input, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseOptionsWith', () => {
  it('returns the output with the defaults filled', () => {
    expect(parseOptionsWith(Options, { endpoint: 'http://127.0.0.1:4318' }, context)).toEqual({ endpoint: 'http://127.0.0.1:4318', limit: 5, floor: 0 });
  });

  it('names the owner, the option and the value', () => {
    const error = configError({ endpoint: 'http://x', limit: 0 });
    expect(error).toMatchObject({ option: 'limit', code: 'ERR_RXTEL_CONFIG' });
    expect(error.message).toBe('Invalid option `limit` of DemoSink: expected an integer from 1 to 10, got `0` (number)');
  });

  it('without an owner, names the option alone (the reporter\'s own options)', () => {
    expect(configError({ endpoint: 'x' }, {}).message).toBe('Invalid option `endpoint`: expected an http(s) URL, got `x` (string)');
  });

  it('says "Missing" for a required option left out, and "Invalid" for one given as undefined', () => {
    expect(configError({}).message).toBe('Missing option `endpoint` of DemoSink: expected an http(s) URL');
    expect(configError({ endpoint: undefined }).message).toMatch(/^Invalid option `endpoint` of DemoSink: .*got `undefined`/);
  });

  it('refuses an unknown option with the closest valid name, before any other problem', () => {
    const error = configError({ apikey: SECRET });
    expect(error).toMatchObject({ option: 'apikey' });
    expect(error.message).toBe('Unknown option `apikey` of DemoSink: did you mean `apiKey`?');
    expectNoPieceOf(SECRET, String(error.stack));
  });

  it('lists a short list of valid names when none is close', () => {
    expect(configError({ endpoint: 'http://x', colour: 'red' }).message).toBe(
      'Unknown option `colour` of DemoSink: it takes `endpoint`, `apiKey`, `limit`, `floor`',
    );
  });

  it('never shows a secret option\'s value, whatever is wrong with it', () => {
    for (const apiKey of [SECRET.slice(0, 7), [SECRET], { key: SECRET }, 42]) {
      const error = configError({ endpoint: 'http://x', apiKey });
      expect(error.option).toBe('apiKey');
      expect(error.message).toMatch(/^Invalid option `apiKey` of DemoSink: .*got a value that is not shown \(it is a secret\)$/);
      expectNoPieceOf(SECRET, String(error.stack));
    }
  });

  it('never shows a URL with credentials', () => {
    for (const endpoint of [`http://user:${SECRET}@host`, `ftp://user:${SECRET}@host`]) {
      const error = configError({ endpoint });
      expect(error.option).toBe('endpoint');
      expectNoPieceOf(SECRET, String(error.stack));
    }
    expect(configError({ endpoint: `ftp://user:${SECRET}@host` }).message).toMatch(/got protocol `ftp:`$/);
  });

  it('runs the rules across options inside the schema; their messages say what they got', () => {
    const error = configError({ endpoint: 'http://x', limit: 3, floor: 3 });
    expect(error).toMatchObject({ option: 'floor' });
    expect(error.message).toBe('Invalid option `floor` of DemoSink: expected less than limit (3), got 3');
  });

  it('refuses options that are not an object', () => {
    for (const input of [undefined, null, 'http://x', ['http://x']]) {
      expect(configError(input)).toMatchObject({ option: '(options)' });
    }
    expect(configError('http://x').message).toBe('Invalid options of DemoSink: expected an object, got `http://x` (string)');
  });

  it('labels an option when asked', () => {
    const error = configError({ endpoint: 'http://x', apiKey: 'short' }, { ...context, labels: { apiKey: 'the project key' } });
    expect(error.message).toMatch(/^Invalid option `apiKey` \(the project key\) of DemoSink: /);
  });
});

describe('describeValue', () => {
  it('quotes strings (escaped, cut at 200 characters) and says the type', () => {
    expect(describeValue('a\nb')).toBe('`a\\nb` (string)');
    expect(describeValue('x'.repeat(500))).toBe(`\`${'x'.repeat(200)}…\` (string)`);
    expect(describeValue(0)).toBe('`0` (number)');
    expect(describeValue(Number.NaN)).toBe('`NaN` (number)');
    expect(describeValue(null)).toBe('`null`');
    expect(describeValue([1, 2])).toBe('an array of 2');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(() => 1)).toBe('a function');
  });
});

describe('closestName', () => {
  const names = ['endpoint', 'apiKey', 'timeoutMs', 'flushIntervalMs', 'maxQueueSize', 'maxQueueBytes'];
  it.each([
    ['apikey', 'apiKey'],
    ['APIKEY', 'apiKey'],
    ['endpont', 'endpoint'],
    ['enpdoint', 'endpoint'],
    ['timeout', 'timeoutMs'],
    ['flushIntervalMS', 'flushIntervalMs'],
    ['maxQueueByte', 'maxQueueBytes'],
  ])('%s → %s', (typo, meant) => {
    expect(closestName(typo, names)).toBe(meant);
  });

  it.each(['colour', 'x', 'headers', 'a'.repeat(100)])('%s → nothing (no wild guesses)', (name) => {
    expect(closestName(name, names)).toBeUndefined();
  });
});
