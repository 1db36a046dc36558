import { describe, expect, it } from '@jest/globals';
import { validateHeaderValue } from 'node:http';
import { ConfigError } from '../../../src/errors/config-error.js';
import { headerValue, isHeaderName } from '../../../src/sinks/http/header-value.js';
import { expectNoPieceOf, UNSENDABLE_SECRETS } from '../../helpers/secrets.js';

function thrownBy(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** What the transport does with a value: `Headers` (ky) normalises and checks it, then node:http checks it again. */
function platformSends(raw: string): string | undefined {
  try {
    const value = new Headers({ 'x-api-key': raw }).get('x-api-key')!;
    validateHeaderValue('x-api-key', value);
    return value;
  } catch {
    return undefined;
  }
}

describe('headerValue', () => {
  it.each([
    ['a plain key', 'tml-0123abcd', 'tml-0123abcd'],
    ['a trailing newline, as `echo key > file` writes it', 'tml-0123abcd\n', 'tml-0123abcd'],
    ['CRLF from a Windows .env file', 'tml-0123abcd\r\n', 'tml-0123abcd'],
    ['spaces and tabs around it', ' \ttml-0123abcd \t', 'tml-0123abcd'],
    ['a tab and a space inside', 'Bearer a\tb c', 'Bearer a\tb c'],
    ['Latin-1 (U+00E9, U+00FF)', 'cl\u00e9-\u00ff', 'cl\u00e9-\u00ff'],
  ])('accepts %s, trimmed as fetch would', (_label, raw, sent) => {
    expect(headerValue('apiKey', raw)).toBe(sent);
    expect(platformSends(raw)).toBe(sent);
  });

  it.each(UNSENDABLE_SECRETS)('refuses %s: a ConfigError naming the option and the kind of character, never the value', (_label, secret, kind) => {
    const error = thrownBy(() => headerValue('apiKey', secret));
    expect(error).toMatchObject({ option: 'apiKey', code: 'ERR_RXTEL_CONFIG', name: 'ConfigError' });
    expect(error.message).toMatch(/^Invalid option `apiKey`: expected a valid HTTP header value/);
    expect(error.message).toMatch(kind);
    expect(error.message).toContain('not shown');
    expectNoPieceOf(secret, error.message);
    expectNoPieceOf(secret, JSON.stringify(error));
    expect(platformSends(secret)).toBeUndefined();
  });

  it('counts the index from what the user passed, leading whitespace included', () => {
    expect(thrownBy(() => headerValue('apiKey', '  ab\ncd')).message).toMatch(/line feed \(LF\) at index 4\b/);
  });

  it('agrees with the transport on every character up to U+02FF: what it accepts is sent unchanged, what it refuses the transport refuses', () => {
    for (let code = 0; code <= 0x2ff; code++) {
      const raw = `a${String.fromCharCode(code)}b`;
      let accepted: string | undefined;
      try {
        accepted = headerValue('apiKey', raw);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
      }
      expect({ code, accepted }).toEqual({ code, accepted: platformSends(raw) });
    }
  });

  it('names the source it is given, and the type of a non-string without its value', () => {
    expect(thrownBy(() => headerValue('apiKey', 'a\nb', { source: 'env RXTEL_API_KEY' })).message).toMatch(/^Invalid env RXTEL_API_KEY: /);
    const error = thrownBy(() => headerValue('headers.authorization', 12345));
    expect(error).toMatchObject({ option: 'headers.authorization' });
    expect(error.message).toBe('Invalid option `headers.authorization`: expected a string (an HTTP header value), got number');
    expect(thrownBy(() => headerValue('apiKey', null)).message).toMatch(/got null$/);
  });

  it('refuses an empty or blank value unless allowEmpty', () => {
    expect(thrownBy(() => headerValue('apiKey', '')).message).toMatch(/expected a non-empty string, got an empty string$/);
    expect(thrownBy(() => headerValue('apiKey', ' \r\n')).message).toMatch(/expected a non-empty string, got only whitespace$/);
    expect(headerValue('x', '', { allowEmpty: true })).toBe('');
    expect(headerValue('x', ' \t', { allowEmpty: true })).toBe('');
  });
});

describe('isHeaderName', () => {
  it.each([
    ['x-api-key', true],
    ["!#$%&'*+-.^_`|~09AZaz", true],
    ['', false],
    ['bad name', false],
    ['x:y', false],
    ['caf\u00e9', false],
  ])('%j → %s', (name, expected) => {
    expect(isHeaderName(name)).toBe(expected);
  });
});
