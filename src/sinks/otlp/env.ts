import { ConfigError } from '../../errors/config-error.js';
import { isHttpUrl } from '../../schema/fields.js';
import { describeValue } from '../../schema/parse.js';
import { headerValue, isHeaderName } from '../http/header-value.js';
import type { ResourceFromEnv } from './resource.js';

/**
 * The environment variables OpenTelemetry users already set for an OTLP/HTTP exporter, read as the
 * OpenTelemetry specification defines them (opentelemetry-specification v1.60.0:
 * `protocol/exporter.md`, `configuration/sdk-environment-variables.md` and `common.md`,
 * `resource/sdk.md`). An empty value is unset. A value that cannot be used is a `ConfigError`
 * naming the variable (the specification lets an SDK warn and ignore it; a sink that quietly sends
 * elsewhere, or without its credentials, is worse), and never shows a header's value.
 */

/** How a sink reads one variable (`readEnv` of `src/platform/node.ts`, or a test's own). */
export type EnvLookup = (name: string) => string | undefined;

/** The two signals the OTLP sink sends. */
export type Signal = 'logs' | 'traces';

export const OTLP_ENV = {
  endpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  logsEndpoint: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
  tracesEndpoint: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  headers: 'OTEL_EXPORTER_OTLP_HEADERS',
  compression: 'OTEL_EXPORTER_OTLP_COMPRESSION',
  timeout: 'OTEL_EXPORTER_OTLP_TIMEOUT',
  serviceName: 'OTEL_SERVICE_NAME',
  resourceAttributes: 'OTEL_RESOURCE_ATTRIBUTES',
} as const;

/** The specification's default endpoint, for a signal the environment configures no URL for while it does for the other. */
export const DEFAULT_ENDPOINT = 'http://localhost:4318';
// Node's timers take at most 2^31 − 1 ms; a timeout of 0 means "no limit" (configuration/common.md).
const MAX_TIMEOUT_MS = 2_147_483_647;

function read(env: EnvLookup, name: string): string | undefined {
  const value = env(name)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * `{base}/v1/{signal}`: the base URL's path with one `/` before `v1/…`, the fragment dropped.
 *
 * @example
 * ```ts
 * signalUrl('http://collector:4318/mycollector/', 'logs'); // 'http://collector:4318/mycollector/v1/logs'
 * ```
 */
export function signalUrl(base: string, signal: Signal): string {
  const url = new URL(base);
  url.hash = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/${signal}`;
  return url.toString();
}

/** `value` as an http(s) URL without credentials, else a ConfigError naming `name` (a URL with credentials is never shown). */
function checkedUrl(name: string, value: string): URL {
  if (!isHttpUrl(value)) throw new ConfigError(name, `Invalid env ${name}: expected an http(s) URL, got ${/@/.test(value) ? 'a value that is not shown' : describeValue(value)}`);
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(name, `Invalid env ${name}: credentials in the URL are not supported; send them in OTEL_EXPORTER_OTLP_HEADERS (the URL is not shown)`);
  }
  url.hash = '';
  return url;
}

/**
 * Each signal's URL as the environment gives it: the per-signal variable as it is (a URL without a
 * path gets `/`), else `OTEL_EXPORTER_OTLP_ENDPOINT` with `v1/logs` or `v1/traces` appended, else
 * — when the environment names an endpoint for the other signal — the specification's default
 * `http://localhost:4318/v1/{signal}`. `undefined` when the environment names no endpoint at all.
 *
 * @example
 * ```ts
 * envEndpoints((name) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })[name]);
 * // { logs: 'http://collector:4318/v1/logs', traces: 'http://collector:4318/v1/traces' }
 * ```
 */
export function envEndpoints(env: EnvLookup): Readonly<Record<Signal, string>> | undefined {
  const base = read(env, OTLP_ENV.endpoint);
  const own = { logs: read(env, OTLP_ENV.logsEndpoint), traces: read(env, OTLP_ENV.tracesEndpoint) };
  if (base === undefined && own.logs === undefined && own.traces === undefined) return undefined;
  const baseUrl = base === undefined ? DEFAULT_ENDPOINT : checkedUrl(OTLP_ENV.endpoint, base).toString();
  const url = (signal: Signal, name: string): string => {
    const value = own[signal];
    return value === undefined ? signalUrl(baseUrl, signal) : checkedUrl(name, value).toString();
  };
  return { logs: url('logs', OTLP_ENV.logsEndpoint), traces: url('traces', OTLP_ENV.tracesEndpoint) };
}

/** `key=value` pairs separated by commas (W3C Baggage's list, as the specification says), both sides percent-decoded. */
function pairs(name: string, value: string, secret: boolean): [string, string][] {
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.flatMap((entry, index): [string, string][] => {
    if (entry === '') return [];
    const at = entry.indexOf('=');
    const shown = secret ? '(the entry is not shown)' : describeValue(entry);
    if (at <= 0) throw new ConfigError(name, `Invalid env ${name}: entry ${index + 1} is not key=value ${shown}`);
    try {
      return [[decodeURIComponent(entry.slice(0, at).trim()), decodeURIComponent(entry.slice(at + 1).trim())]];
    } catch {
      throw new ConfigError(name, `Invalid env ${name}: entry ${index + 1} is not valid percent-encoding ${shown}`);
    }
  });
}

/**
 * `OTEL_EXPORTER_OTLP_HEADERS` (`api-key=k,authorization=Bearer%20t`): each name an HTTP header
 * name, each value percent-decoded and held to the header-value rule; `undefined` when unset.
 *
 * @example
 * ```ts
 * envHeaders(() => 'authorization=Bearer%20t0k3n'); // { authorization: 'Bearer t0k3n' }
 * ```
 */
export function envHeaders(env: EnvLookup): Record<string, string> | undefined {
  const raw = read(env, OTLP_ENV.headers);
  if (raw === undefined) return undefined;
  const headers: Record<string, string> = {};
  for (const [index, [key, value]] of pairs(OTLP_ENV.headers, raw, true).entries()) {
    // Not shown: a mistyped entry (`authorization:Bearer t0k3n==`) puts the secret before the `=`.
    if (!isHeaderName(key)) throw new ConfigError(OTLP_ENV.headers, `Invalid env ${OTLP_ENV.headers}: the name of header ${index + 1} is not a header name (the entry is not shown)`);
    headers[key] = headerValue(OTLP_ENV.headers, value, { source: `env ${OTLP_ENV.headers} (header \`${key}\`)`, allowEmpty: true });
  }
  return headers;
}

/**
 * `OTEL_EXPORTER_OTLP_COMPRESSION`: `gzip` or `none`, in any case; `undefined` when unset.
 *
 * @example
 * ```ts
 * envCompression(() => 'GZIP'); // 'gzip'
 * ```
 */
export function envCompression(env: EnvLookup): 'gzip' | 'none' | undefined {
  const raw = read(env, OTLP_ENV.compression);
  if (raw === undefined) return undefined;
  const value = raw.toLowerCase();
  if (value === 'gzip' || value === 'none') return value;
  throw new ConfigError(OTLP_ENV.compression, `Invalid env ${OTLP_ENV.compression}: expected gzip or none, got ${describeValue(raw)}`);
}

/**
 * `OTEL_EXPORTER_OTLP_TIMEOUT`: whole milliseconds; `0` is no limit (the longest timeout Node
 * takes, about 24.8 days); `undefined` when unset.
 *
 * @example
 * ```ts
 * envTimeoutMs(() => '10000'); // 10000
 * ```
 */
export function envTimeoutMs(env: EnvLookup): number | undefined {
  const raw = read(env, OTLP_ENV.timeout);
  if (raw === undefined) return undefined;
  const ms = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(ms >= 0 && ms <= MAX_TIMEOUT_MS)) {
    throw new ConfigError(OTLP_ENV.timeout, `Invalid env ${OTLP_ENV.timeout}: expected whole milliseconds from 0 (no limit) to ${MAX_TIMEOUT_MS}, got ${describeValue(raw)}`);
  }
  return ms === 0 ? MAX_TIMEOUT_MS : ms;
}

/**
 * `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` (`key=value` pairs, percent-decoded, every
 * value a string).
 *
 * @example
 * ```ts
 * envResource((name) => ({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod' })[name]);
 * // { attributes: { 'deployment.environment.name': 'prod' } }
 * ```
 */
export function envResource(env: EnvLookup): ResourceFromEnv {
  const serviceName = read(env, OTLP_ENV.serviceName);
  const raw = read(env, OTLP_ENV.resourceAttributes);
  const attributes: Record<string, string> = {};
  for (const [key, value] of raw === undefined ? [] : pairs(OTLP_ENV.resourceAttributes, raw, false)) {
    if (key === '') throw new ConfigError(OTLP_ENV.resourceAttributes, `Invalid env ${OTLP_ENV.resourceAttributes}: an attribute has an empty name`);
    attributes[key] = value;
  }
  return { ...(serviceName === undefined ? {} : { serviceName }), ...(raw === undefined ? {} : { attributes }) };
}
