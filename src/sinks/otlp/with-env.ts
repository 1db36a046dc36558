import { ConfigError } from '../../errors/config-error.js';
import { envCompression, envEndpoints, envHeaders, envResource, envTimeoutMs, signalUrl, type EnvLookup, type Signal } from './env.js';
import type { ResourceFromEnv } from './resource.js';

/** The parsed options the environment can complete. */
export interface EnvCompletable {
  readonly endpoint?: string;
  readonly headers?: Record<string, string>;
  readonly compression: 'none' | 'gzip';
  readonly timeoutMs: number;
}

/** Parsed options with what the environment adds: each signal's URL, the merged headers, the resource's part. */
export type WithEnv<T extends EnvCompletable> = Omit<T, 'headers'> & {
  readonly headers: Record<string, string>;
  readonly urls: Readonly<Record<Signal, string>>;
  readonly resourceFromEnv: ResourceFromEnv;
};

/**
 * Completes the OTLP sink's parsed options from the environment, an explicit option winning:
 * `endpoint` (else the `OTEL_EXPORTER_OTLP_*ENDPOINT` variables, else a `ConfigError`),
 * `headers` (added to `OTEL_EXPORTER_OTLP_HEADERS`; a name in both, in any case, is the option's),
 * `compression` and `timeoutMs` (the variables when the option was not given: `given` is what the
 * user passed, before the schema's defaults), and the resource's `OTEL_SERVICE_NAME` and
 * `OTEL_RESOURCE_ATTRIBUTES`. Only the variables that are used are read and checked.
 *
 * @example
 * ```ts
 * const parsed = withOtlpEnv(parseOptionsWith(OtlpHttpSinkOptions, options, context), options, readEnv);
 * parsed.urls.logs; // 'http://collector:4318/v1/logs'
 * ```
 */
export function withOtlpEnv<T extends EnvCompletable>(parsed: T, given: object, env: EnvLookup): WithEnv<T> {
  const isGiven = (option: string): boolean => (given as Record<string, unknown>)[option] !== undefined;
  let urls: Record<Signal, string> | undefined;
  if (parsed.endpoint !== undefined) urls = { logs: signalUrl(parsed.endpoint, 'logs'), traces: signalUrl(parsed.endpoint, 'traces') };
  else urls = envEndpoints(env);
  if (urls === undefined) {
    throw new ConfigError('endpoint', 'Missing option `endpoint` of OtlpHttpSink: give the collector URL, or set OTEL_EXPORTER_OTLP_ENDPOINT');
  }
  const headers: Record<string, string> = { ...envHeaders(env) };
  for (const [name, value] of Object.entries(parsed.headers ?? {})) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
    headers[name] = value;
  }
  return {
    ...parsed,
    headers,
    compression: isGiven('compression') ? parsed.compression : (envCompression(env) ?? parsed.compression),
    timeoutMs: isGiven('timeoutMs') ? parsed.timeoutMs : (envTimeoutMs(env) ?? parsed.timeoutMs),
    urls,
    resourceFromEnv: envResource(env),
  };
}
