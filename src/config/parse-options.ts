import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { readEnv } from '../platform/node.js';
import { describeValue, parseOptionsWith } from '../schema/parse.js';
import { headerValue } from '../sinks/http/header-value.js';
import { parseEnvSwitch, resolveEnabled } from './env.js';
import { ReporterOptions } from './options.js';
import { safeLogger, safeRandom } from './safe-hooks.js';

/**
 * The options after parsing: defaults filled, environment applied. What the internals read: each
 * stage's options are a `Pick` of it, so that a stage never restates an option or its default.
 */
export type ResolvedConfig = Omit<z.output<typeof ReporterOptions>, 'enabled' | 'maxQueueBytes' | 'debug'> & {
  readonly enabled: boolean;
  /** The diagnostic switch: the option, else env `RXTEL_DEBUG`. */
  readonly debug: boolean;
  readonly maxQueueBytes: number;
};

/** 32 MiB for the default 10,000 events, in proportion for other sizes, never under the option's 64 KiB floor. */
export function defaultQueueBytes(maxQueueSize: number): number {
  return Math.max(65_536, Math.round((maxQueueSize * 32 * 1024 * 1024) / 10_000));
}

/**
 * The API key as it is sent in `x-api-key`: the option (the schema checked it as a header value),
 * else the variable, checked here so that a key no header can carry is a ConfigError naming the
 * variable, not a TypeError quoting the key. An empty or blank variable sends no key, as an empty
 * one always did (the Tinker sink omits an empty key).
 */
function resolveApiKey(option: string | undefined, fromEnv: string | undefined): string | undefined {
  if (option !== undefined) return option;
  if (fromEnv === undefined) return undefined;
  const value = headerValue('apiKey', fromEnv, { source: 'env RXTEL_API_KEY', allowEmpty: true });
  return value === '' ? undefined : value;
}

/**
 * Parses the user's options once: the schema (checks, defaults, rules across options; the same
 * parser as every built-in sink's), then the environment (`RXTEL_TELEMETRY`, `RXTEL_API_KEY`,
 * `RXTEL_ENDPOINT`, `RXTEL_SPOOL_DIR`, `RXTEL_DEBUG`). Throws {@link ConfigError} naming the option and its value, never the API
 * key; an unknown option is refused with the closest valid name.
 */
export function parseOptions(input: ReporterOptions = {}, env: (name: string) => string | undefined = readEnv): ResolvedConfig {
  // The reporter's own options: messages name no owner (``Invalid option `maxBatchSize`: …``).
  const options = parseOptionsWith(ReporterOptions, input, { secrets: ['apiKey'] });
  const logger = safeLogger(options.logger);

  const envSwitch = parseEnvSwitch(env('RXTEL_TELEMETRY'));
  const enabled = resolveEnabled(options.enabled, envSwitch);
  if (options.enabled === undefined && envSwitch === 'unknown') {
    logger.warn('RXTEL_TELEMETRY has a value that is not one of 1/true/yes/on/0/false/no/off; telemetry stays on');
  }

  const debugSwitch = parseEnvSwitch(env('RXTEL_DEBUG'));
  const debug = options.debug ?? debugSwitch === 'on';
  if (options.debug === undefined && debugSwitch === 'unknown') {
    logger.warn('RXTEL_DEBUG has a value that is not one of 1/true/yes/on/0/false/no/off; debug stays off');
  }

  const endpoint = options.endpoint ?? env('RXTEL_ENDPOINT');
  const apiKey = resolveApiKey(options.apiKey, env('RXTEL_API_KEY'));
  if (enabled && options.sinks === undefined && endpoint === undefined) {
    throw new ConfigError('endpoint', 'Missing option `endpoint`: give the backend URL (or env RXTEL_ENDPOINT), or pass `sinks`');
  }
  if (options.endpoint === undefined && endpoint !== undefined) {
    const check = ReporterOptions.shape.endpoint.safeParse(endpoint);
    if (!check.success) throw new ConfigError('endpoint', `Invalid env RXTEL_ENDPOINT: expected an http(s) URL, got ${describeValue(endpoint)}`);
  }

  // The spool is on when asked for, or when RXTEL_SPOOL_DIR names a directory (the option wins).
  const spoolDir = env('RXTEL_SPOOL_DIR')?.trim();
  const spool = options.spool ?? (spoolDir === undefined || spoolDir === '' ? undefined : ReporterOptions.shape.spool.unwrap().parse({ dir: spoolDir }));

  return {
    ...options,
    spool,
    maxQueueBytes: options.maxQueueBytes ?? defaultQueueBytes(options.maxQueueSize),
    endpoint,
    apiKey,
    enabled,
    debug,
    random: safeRandom(options.random, logger),
    logger,
  };
}
