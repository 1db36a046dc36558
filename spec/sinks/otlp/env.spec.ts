import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/errors/config-error.js';
import { envCompression, envEndpoints, envHeaders, envResource, envTimeoutMs, signalUrl } from '../../../src/sinks/otlp/env.js';

const env = (vars: Record<string, string>) => (name: string) => vars[name];
const SECRET = 'Bearer s3cr3t-t0k3n';

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('endpoints (opentelemetry-specification protocol/exporter.md, "Endpoint URLs for OTLP/HTTP")', () => {
  it('none set: undefined (the option is then required)', () => {
    expect(envEndpoints(env({}))).toBeUndefined();
    expect(envEndpoints(env({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }))).toBeUndefined();
  });

  it.each([
    ['http://collector:4318', 'http://collector:4318/v1/logs', 'http://collector:4318/v1/traces'],
    ['http://collector:4318/mycollector/', 'http://collector:4318/mycollector/v1/logs', 'http://collector:4318/mycollector/v1/traces'],
    ['https://collector.example/otlp', 'https://collector.example/otlp/v1/logs', 'https://collector.example/otlp/v1/traces'],
  ])('the base %s gets v1/logs and v1/traces', (base, logs, traces) => {
    expect(envEndpoints(env({ OTEL_EXPORTER_OTLP_ENDPOINT: base }))).toEqual({ logs, traces });
  });

  it('a per-signal variable is used as it is (an empty path is /) and wins over the base', () => {
    expect(
      envEndpoints(env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318' })),
    ).toEqual({ logs: 'http://base:4318/v1/logs', traces: 'http://collector:4318/' });
    // Example 2 of the specification: only traces configured; logs go to the default endpoint.
    expect(envEndpoints(env({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://logs.example.com/v1/logs' }))).toEqual({
      logs: 'https://logs.example.com/v1/logs',
      traces: 'http://localhost:4318/v1/traces',
    });
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'ftp://collector'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'not a url'],
  ])('%s=%s is a ConfigError naming the variable', (name, value) => {
    const error = thrown(() => envEndpoints(env({ [name]: value })));
    expect(error.option).toBe(name);
    expect(error.message).toBe(`Invalid env ${name}: expected an http(s) URL, got \`${value}\` (string)`);
  });

  it('credentials in an endpoint are refused without showing the URL', () => {
    for (const value of ['http://user:s3cr3t@collector:4318', 'ftp://user:s3cr3t@collector']) {
      const error = thrown(() => envEndpoints(env({ OTEL_EXPORTER_OTLP_ENDPOINT: value })));
      expect(error.option).toBe('OTEL_EXPORTER_OTLP_ENDPOINT');
      expect(error.message).not.toContain('s3cr3t');
    }
  });

  it('signalUrl drops the fragment and doubles no slash', () => {
    expect(signalUrl('http://c:4318//#x', 'logs')).toBe('http://c:4318/v1/logs');
  });
});

describe('OTEL_EXPORTER_OTLP_HEADERS', () => {
  it('key=value pairs, both sides percent-decoded and trimmed, empty entries skipped', () => {
    expect(envHeaders(env({ OTEL_EXPORTER_OTLP_HEADERS: ' authorization=Bearer%20t0k3n , x-api-key = k%2Cv%3D1,,x-empty=' }))).toEqual({
      authorization: 'Bearer t0k3n',
      'x-api-key': 'k,v=1',
      'x-empty': '',
    });
    expect(envHeaders(env({}))).toBeUndefined();
  });

  it.each([
    ['an entry without =', `authorization:${SECRET}`],
    ['an empty name', `=${SECRET}`],
    ['a name that is no header name', `bad name=${SECRET}`],
    ['a mistyped entry with the secret before the =', `authorization:${SECRET}==`],
    ['bad percent-encoding', `authorization=${SECRET}%zz`],
    ['a CR LF in the value', `authorization=${SECRET}%0D%0Ax-injected:%201`],
    ['a character beyond U+00FF', `authorization=${SECRET}%E2%98%83`],
  ])('%s is a ConfigError naming the variable, never showing the value', (_label, value) => {
    const error = thrown(() => envHeaders(env({ OTEL_EXPORTER_OTLP_HEADERS: value })));
    expect(error.option).toBe('OTEL_EXPORTER_OTLP_HEADERS');
    expect(error.message).toMatch(/^Invalid env OTEL_EXPORTER_OTLP_HEADERS/);
    expect(String(error.stack)).not.toContain('s3cr3t');
  });
});

describe('OTEL_EXPORTER_OTLP_COMPRESSION and OTEL_EXPORTER_OTLP_TIMEOUT', () => {
  it.each([
    ['gzip', 'gzip'],
    [' GZIP ', 'gzip'],
    ['none', 'none'],
    ['', undefined],
  ])('compression %p → %p', (value, expected) => {
    expect(envCompression(env({ OTEL_EXPORTER_OTLP_COMPRESSION: value }))).toBe(expected);
  });

  it('another compression is a ConfigError naming the variable and the value', () => {
    const error = thrown(() => envCompression(env({ OTEL_EXPORTER_OTLP_COMPRESSION: 'br' })));
    expect(error).toMatchObject({ option: 'OTEL_EXPORTER_OTLP_COMPRESSION', message: 'Invalid env OTEL_EXPORTER_OTLP_COMPRESSION: expected gzip or none, got `br` (string)' });
  });

  it.each([
    ['10000', 10000],
    ['1', 1],
    ['0', 2_147_483_647],
    ['2147483647', 2_147_483_647],
  ])('timeout %p → %p ms (0 is no limit)', (value, expected) => {
    expect(envTimeoutMs(env({ OTEL_EXPORTER_OTLP_TIMEOUT: value }))).toBe(expected);
  });

  it.each(['-1', '1.5', '10s', '2147483648', '99999999999'])('timeout %p is a ConfigError naming the variable', (value) => {
    expect(thrown(() => envTimeoutMs(env({ OTEL_EXPORTER_OTLP_TIMEOUT: value }))).option).toBe('OTEL_EXPORTER_OTLP_TIMEOUT');
  });
});

describe('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (resource/sdk.md)', () => {
  it('percent-decoded string attributes; the service name trimmed; empty is unset', () => {
    expect(
      envResource(env({ OTEL_SERVICE_NAME: ' trainer ', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,team=ml%2Cinfra,note=a%3Db' })),
    ).toEqual({ serviceName: 'trainer', attributes: { 'deployment.environment.name': 'prod', team: 'ml,infra', note: 'a=b' } });
    expect(envResource(env({ OTEL_SERVICE_NAME: '' }))).toEqual({});
  });

  it.each(['novalue', '=x', 'k=%zz'])('%p is a ConfigError naming OTEL_RESOURCE_ATTRIBUTES', (value) => {
    expect(thrown(() => envResource(env({ OTEL_RESOURCE_ATTRIBUTES: value }))).option).toBe('OTEL_RESOURCE_ATTRIBUTES');
  });
});
