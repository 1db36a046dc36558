import { afterEach, describe, expect, it } from '@jest/globals';
import ky from 'ky';
import { ConfigError } from '../../src/errors/config-error.js';
import { heliconeHeaders, heliconeKyHooks, type HeliconeOptions } from '../../src/sinks/helicone.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-http-server.js';
import { expectNoPieceOf, UNSENDABLE_SECRETS } from '../helpers/secrets.js';

const API_KEY = 'sk-helicone-test-0123456789';
const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const full: HeliconeOptions = {
  apiKey: API_KEY,
  sessionId: SESSION_ID,
  sessionName: 'Course Plan',
  sessionPath: '/plan/outline',
  userId: 'alice@example.com',
  properties: { Environment: 'production', 'App-Version': '1.2.3' },
};

function configErrorOf(options: HeliconeOptions): ConfigError {
  let thrown: unknown;
  try {
    heliconeHeaders(options);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  return thrown as ConfigError;
}

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('heliconeHeaders', () => {
  it('builds every Helicone header', () => {
    expect(heliconeHeaders(full)).toEqual({
      'Helicone-Auth': `Bearer ${API_KEY}`,
      'Helicone-Session-Id': SESSION_ID,
      'Helicone-Session-Name': 'Course Plan',
      'Helicone-Session-Path': '/plan/outline',
      'Helicone-User-Id': 'alice@example.com',
      'Helicone-Property-Environment': 'production',
      'Helicone-Property-App-Version': '1.2.3',
    });
  });

  it('sends only the auth header without other options, and returns a frozen record', () => {
    const headers = heliconeHeaders({ apiKey: API_KEY, userId: '' });
    expect(headers).toEqual({ 'Helicone-Auth': `Bearer ${API_KEY}` });
    expect(Object.isFrozen(headers)).toBe(true);
  });

  it.each<[string, HeliconeOptions, string]>([
    ['a missing apiKey', { apiKey: undefined as unknown as string }, 'apiKey'],
    ['a blank apiKey', { apiKey: '   ' }, 'apiKey'],
    ['CR/LF in the apiKey', { apiKey: `${API_KEY}\r\nX-Evil: 1` }, 'apiKey'],
    ['LF in userId', { apiKey: API_KEY, userId: 'alice\nX-Evil: 1' }, 'userId'],
    ['CR in sessionName', { apiKey: API_KEY, sessionId: SESSION_ID, sessionName: 'a\rb' }, 'sessionName'],
    ['NUL in sessionPath', { apiKey: API_KEY, sessionId: SESSION_ID, sessionPath: '/a\u0000' }, 'sessionPath'],
    ['LF in a property value', { apiKey: API_KEY, properties: { Feature: 'chat\nbot' } }, 'properties.Feature'],
    ['a property value beyond Latin-1', { apiKey: API_KEY, properties: { Feature: '日本' } }, 'properties.Feature'],
    ['a non-string property value', { apiKey: API_KEY, properties: { Feature: 3 as unknown as string } }, 'properties.Feature'],
    ['a property name that is no header token', { apiKey: API_KEY, properties: { 'My Feature': 'x' } }, 'properties.My Feature'],
    ['a sessionName without sessionId', { apiKey: API_KEY, sessionName: 'x' }, 'sessionId'],
    ['a sessionPath without sessionId', { apiKey: API_KEY, sessionPath: '/x' }, 'sessionId'],
  ])('rejects %s with a ConfigError naming the option', (_label, options, option) => {
    const error = configErrorOf(options);
    expect(error.option).toBe(option);
    expect(error.message).not.toContain(API_KEY);
  });

  it.each(UNSENDABLE_SECRETS)('refuses an apiKey or a property value with %s, naming the option and never showing the value', (_label, secret, kind) => {
    for (const [options, option] of [
      [{ apiKey: secret }, 'apiKey'],
      [{ apiKey: API_KEY, properties: { Token: secret } }, 'properties.Token'],
    ] as const) {
      const error = configErrorOf(options);
      expect(error.option).toBe(option);
      expect(error.message).toMatch(kind);
      expectNoPieceOf(secret, String(error.stack));
    }
  });

  it('trims values as fetch would; a blank optional value is left out like an empty one', () => {
    expect(heliconeHeaders({ apiKey: ` ${API_KEY}\n`, userId: ' \t', sessionId: `${SESSION_ID}\r\n`, properties: { Environment: ' prod ' } })).toEqual({
      'Helicone-Auth': `Bearer ${API_KEY}`,
      'Helicone-Session-Id': SESSION_ID,
      'Helicone-Property-Environment': 'prod',
    });
  });
});

describe('heliconeKyHooks', () => {
  it('adds the headers to every request of a ky instance, over a real connection', async () => {
    const s = (server = await startScriptedServer());
    const api = ky.extend({ hooks: heliconeKyHooks(full), retry: 0 });
    await api.post(`${s.url}/v1/chat/completions`, { json: { model: 'm' } });
    await api.get(`${s.url}/v1/models`);
    expect(s.requests).toHaveLength(2);
    for (const request of s.requests) {
      expect(request.headers).toMatchObject({
        'helicone-auth': `Bearer ${API_KEY}`,
        'helicone-session-id': SESSION_ID,
        'helicone-session-name': 'Course Plan',
        'helicone-session-path': '/plan/outline',
        'helicone-user-id': 'alice@example.com',
        'helicone-property-environment': 'production',
        'helicone-property-app-version': '1.2.3',
      });
    }
  });

  it("keeps headers the caller set, per instance or per request, whatever their case", async () => {
    const s = (server = await startScriptedServer());
    const api = ky.extend({ hooks: heliconeKyHooks(full), headers: { 'helicone-user-id': 'bob' }, retry: 0 });
    await api.post(`${s.url}/v1/chat/completions`, { json: {}, headers: { 'Helicone-Session-Path': '/plan/retry' } });
    expect(s.requests[0]?.headers).toMatchObject({
      'helicone-auth': `Bearer ${API_KEY}`,
      'helicone-user-id': 'bob',
      'helicone-session-path': '/plan/retry',
      'helicone-session-id': SESSION_ID,
    });
  });

  it('checks the options when the hooks are made', () => {
    expect(() => heliconeKyHooks({ apiKey: API_KEY, userId: 'a\r\nb' })).toThrow(ConfigError);
    expect(heliconeKyHooks({ apiKey: API_KEY }).beforeRequest).toHaveLength(1);
  });
});
