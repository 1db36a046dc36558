import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { closestName } from './closest-name.js';

/**
 * The one way rxtel reads options, for `createReporter` and every built-in sink: a zod schema
 * parses them, and the first problem becomes a {@link ConfigError} that names the owner, the
 * option and the value, never a secret. An unknown option is refused with the closest valid name.
 */

/** Who the options belong to and which of them must never be shown. */
export interface OptionsContext {
  /** How messages name the owner: `TinkerHttpSink` gives ``Invalid option `endpoint` of TinkerHttpSink: …``. Unset: the reporter's own options. */
  readonly owner?: string;
  /** Options whose values (and everything inside them) are never shown: API keys, secrets, headers. */
  readonly secrets?: readonly string[];
  /** What an option is, said after its name: `{ secretKey: "the Langfuse project's secret key" }`. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The `params` of an issue whose message already says what was wrong with the value, or must not
 * show it: the parser adds no `got …` to it.
 *
 * @example
 * ```ts
 * z.string().refine(isHttpUrl, { error: 'expected an http(s) URL without credentials', params: NO_ECHO });
 * ```
 */
export const NO_ECHO: Readonly<Record<string, unknown>> = Object.freeze({ echo: false });

const MAX_SHOWN_CHARS = 200;
const MAX_LISTED_OPTIONS = 12;

/**
 * A value as a message shows it: a string quoted and cut at 200 characters, a number or boolean
 * with its type, the kind of anything else.
 *
 * @example
 * ```ts
 * describeValue('127.0.0.1:4319'); // '`127.0.0.1:4319` (string)'
 * describeValue(0);                // '`0` (number)'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = JSON.stringify(value.length > MAX_SHOWN_CHARS ? `${value.slice(0, MAX_SHOWN_CHARS)}…` : value).slice(1, -1);
    return `\`${shown}\` (string)`;
  }
  if (typeof value === 'function') return 'a function';
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

/** Whether `path` names an own property of `input` (one given as `undefined` is invalid, not missing). */
function isPresent(input: unknown, path: readonly PropertyKey[]): boolean {
  const parent = valueAt(input, path.slice(0, -1));
  return path.length > 0 && typeof parent === 'object' && parent !== null && Object.hasOwn(parent, path.at(-1)!);
}

/** The message for an unknown option: the closest valid name, else (for a short list) the valid names. */
function unknownOption(key: string, known: readonly string[], of: string): ConfigError {
  const near = closestName(key, known);
  let hint = `did you mean \`${near}\`?`;
  if (near === undefined) {
    // Without a likely match, a short list helps more than a guess; the reporter's is too long to read in a message.
    hint = known.length <= MAX_LISTED_OPTIONS ? `it takes ${known.map((name) => `\`${name}\``).join(', ')}` : 'no such option (check its spelling)';
  }
  return new ConfigError(key, `Unknown option \`${key.slice(0, MAX_SHOWN_CHARS)}\`${of}: ${hint}`);
}

/** What a failed parse says, as a ConfigError. Unknown options come first: a misspelt name is the likeliest cause of everything else. */
function toConfigError(input: unknown, error: z.core.$ZodError, known: readonly string[], context: OptionsContext): ConfigError {
  const of = context.owner === undefined ? '' : ` of ${context.owner}`;
  const unknown = error.issues.find((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0);
  if (unknown?.code === 'unrecognized_keys') return unknownOption(unknown.keys[0]!, known, of);
  const issue = error.issues[0]!;
  const option = issue.path.map(String).join('.') || '(options)';
  const top = String(issue.path[0]);
  const label = issue.path.length === 1 && context.labels?.[top] !== undefined ? ` (${context.labels[top]})` : '';
  // A record's key refused by its own schema: that schema's message says why.
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  if (issue.code === 'invalid_type' && !isPresent(input, issue.path)) {
    return new ConfigError(option, `Missing option \`${option}\`${label}${of}: ${message}`);
  }
  let got = '';
  const echo = (issue as { params?: { echo?: unknown } }).params?.echo !== false;
  if (echo && issue.code !== 'invalid_key') {
    got = context.secrets?.includes(top) === true ? ', got a value that is not shown (it is a secret)' : `, got ${describeValue(valueAt(input, issue.path))}`;
  }
  return new ConfigError(option, `Invalid option \`${option}\`${label}${of}: ${message}${got}`);
}

/**
 * Parses `input` with `schema` (a strict object schema): the output, defaults filled, or a
 * {@link ConfigError} naming `context.owner`, the option and the value.
 *
 * @example
 * ```ts
 * const options = parseOptionsWith(TinkerHttpSinkOptions, input, { owner: 'TinkerHttpSink', secrets: ['apiKey'] });
 * // new TinkerHttpSink({ apikey: 'k' }) → ConfigError: Unknown option `apikey` of TinkerHttpSink: did you mean `apiKey`?
 * ```
 */
export function parseOptionsWith<S extends z.ZodObject>(schema: S, input: unknown, context: OptionsContext = {}): z.output<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const of = context.owner === undefined ? '' : ` of ${context.owner}`;
    throw new ConfigError('(options)', `Invalid options${of}: expected an object, got ${describeValue(input)}`);
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw toConfigError(input, parsed.error, Object.keys(schema.shape), context);
  return parsed.data;
}
