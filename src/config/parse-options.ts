import { randomUUID } from 'node:crypto';
import type { SchedulerLike } from 'rxjs';
import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { nodeScheduler, readEnv } from '../platform/node.js';
import { headerValue } from '../sinks/http/header-value.js';
import { parseEnvSwitch, resolveEnabled } from './env.js';
import { ReporterOptions, type Logger } from './options.js';
import { safeLogger, safeRandom } from './safe-hooks.js';

/** The options after parsing: defaults filled, environment applied. What the internals read. */
export type ResolvedConfig = Omit<z.output<typeof ReporterOptions>, 'scheduler' | 'logger' | 'sessionId' | 'enabled' | 'maxQueueBytes'> & {
  readonly enabled: boolean;
  readonly maxQueueBytes: number;
  readonly sessionId: string;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
};

const SECRET_OPTIONS = new Set(['apiKey']);

/** 32 MiB for the default 10,000 events, in proportion for other sizes, never under the option's 64 KiB floor. */
export function defaultQueueBytes(maxQueueSize: number): number {
  return Math.max(65_536, Math.round((maxQueueSize * 32 * 1024 * 1024) / 10_000));
}

const consoleLogger: Logger = { warn: (message) => console.warn(`[rxtel] ${message}`) };

function describe(value: unknown): string {
  if (typeof value === 'string') return `\`${JSON.stringify(value).slice(1, -1)}\` (string)`;
  if (typeof value === 'function') return `a function`;
  if (value === null) return '`null`';
  if (typeof value === 'object') return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
  return `\`${String(value)}\` (${typeof value})`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function toConfigError(input: unknown, error: z.ZodError): ConfigError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return new ConfigError(key, `Unknown option \`${key}\`: rxtel has no such option (check its spelling)`);
  }
  const option = issue.path.map(String).join('.') || '(options)';
  const secret = SECRET_OPTIONS.has(String(issue.path[0]));
  const got = secret ? 'a value that is not shown (it is a secret)' : describe(valueAt(input, issue.path));
  return new ConfigError(option, `Invalid option \`${option}\`: ${issue.message}, got ${got}`);
}

/**
 * The API key as it is sent in `x-api-key`, checked here so that a key no header can carry is a
 * ConfigError naming its source (the option or the variable), not a TypeError quoting the key. An
 * empty or blank variable sends no key, as an empty one always did (the Tinker sink omits an empty key).
 */
function resolveApiKey(option: string | undefined, fromEnv: string | undefined): string | undefined {
  if (option !== undefined) return headerValue('apiKey', option);
  if (fromEnv === undefined) return undefined;
  const value = headerValue('apiKey', fromEnv, { source: 'env RXTEL_API_KEY', allowEmpty: true });
  return value === '' ? undefined : value;
}

/**
 * Parses the user's options once: zod validation with the defaults, then the environment
 * (`RXTEL_TELEMETRY`, `RXTEL_API_KEY`, `RXTEL_ENDPOINT`). Throws {@link ConfigError} naming the
 * option and its value.
 */
export function parseOptions(input: ReporterOptions = {}, env: (name: string) => string | undefined = readEnv): ResolvedConfig {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError('(options)', `Invalid options: expected an object, got ${describe(input)}`);
  }
  const parsed = ReporterOptions.safeParse(input);
  if (!parsed.success) throw toConfigError(input, parsed.error);
  const options = parsed.data;
  if (options.terminalReserve >= options.maxQueueSize) {
    throw new ConfigError(
      'terminalReserve',
      `Invalid option \`terminalReserve\`: expected fewer slots than maxQueueSize (${options.maxQueueSize}), got ${options.terminalReserve}`,
    );
  }
  const logger = safeLogger(options.logger ?? consoleLogger);

  const envSwitch = parseEnvSwitch(env('RXTEL_TELEMETRY'));
  const enabled = resolveEnabled(options.enabled, envSwitch);
  if (options.enabled === undefined && envSwitch === 'unknown') {
    logger.warn('RXTEL_TELEMETRY has a value that is not one of 1/true/yes/on/0/false/no/off; telemetry stays on');
  }

  const endpoint = options.endpoint ?? env('RXTEL_ENDPOINT');
  const apiKey = resolveApiKey(options.apiKey, env('RXTEL_API_KEY'));
  if (enabled && options.sinks === undefined && endpoint === undefined) {
    throw new ConfigError('endpoint', 'Missing option `endpoint`: give the backend URL (or env RXTEL_ENDPOINT), or pass `sinks`');
  }
  if (options.endpoint === undefined && endpoint !== undefined) {
    const check = ReporterOptions.shape.endpoint.safeParse(endpoint);
    if (!check.success) throw new ConfigError('endpoint', `Invalid env RXTEL_ENDPOINT: expected an http(s) URL, got ${describe(endpoint)}`);
  }

  return {
    ...options,
    maxQueueBytes: options.maxQueueBytes ?? defaultQueueBytes(options.maxQueueSize),
    endpoint,
    apiKey,
    enabled,
    sessionId: options.sessionId ?? randomUUID(),
    scheduler: options.scheduler ?? nodeScheduler,
    random: safeRandom(options.random, logger),
    logger,
  };
}
