import { parseOptions, type ResolvedConfig } from '../../src/config/parse-options.js';
import { ReporterOptions } from '../../src/config/options.js';

/**
 * The reporter's options as its stages get them, every default from the schema: what a test of
 * one stage (the queue's door, the sender, …) starts from, so that no test restates a default.
 */
export function resolvedConfig(options: ReporterOptions = {}): ResolvedConfig {
  return parseOptions({ enabled: false, ...options }, () => undefined);
}

/** The schema's default of each reporter option, in the schema's order (`undefined` when it has none). */
export function schemaDefaults(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(ReporterOptions.shape).map(([name, field]) => [name, (field as { safeParse(value: unknown): { data?: unknown } }).safeParse(undefined).data]),
  );
}

/** Whether a default is a literal a document can state exactly (a number, a boolean or a string). */
export const isLiteral = (value: unknown): value is number | boolean | string => ['number', 'boolean', 'string'].includes(typeof value);
