import type { Severity } from './wire.js';

/**
 * The level names of the loggers users come from, by the wire level each one means. A user who
 * writes `reporter.log(name, data, 'fatal')` means CRITICAL, not an unknown level sent as INFO.
 * Sources: syslog (RFC 5424 keywords and their long forms), pino/bunyan, winston's npm levels
 * (`http` sits between info and verbose, so DEBUG, as OpenTelemetry's winston bridge maps it),
 * Python logging, log4j, .NET (`Information`, `Critical`), OpenTelemetry severity text.
 */
const SPELLINGS = {
  DEBUG: ['DEBUG', 'TRACE', 'VERBOSE', 'SILLY', 'HTTP'],
  INFO: ['INFO', 'INFORMATION', 'INFORMATIONAL', 'NOTICE'],
  WARNING: ['WARNING', 'WARN'],
  ERROR: ['ERROR', 'ERR'],
  CRITICAL: ['CRITICAL', 'CRIT', 'FATAL', 'ALERT', 'EMERG', 'EMERGENCY', 'PANIC'],
} as const satisfies Readonly<Record<Severity, readonly string[]>>;

// OpenTelemetry's finer severity names (SeverityNumber 2–4 of each range): TRACE2 … FATAL4.
const OTEL_RANGES: readonly (readonly [string, Severity])[] = [
  ['TRACE', 'DEBUG'],
  ['DEBUG', 'DEBUG'],
  ['INFO', 'INFO'],
  ['WARN', 'WARNING'],
  ['ERROR', 'ERROR'],
  ['FATAL', 'CRITICAL'],
];

type Spelling = (typeof SPELLINGS)[Severity][number];

// Upper, lower and capitalised forms all sit in the map, so the spellings people actually write
// cost one lookup; anything else is trimmed and upper-cased first.
const BY_SPELLING = new Map<string, Severity>();
function add(spelling: string, level: Severity): void {
  const lower = spelling.toLowerCase();
  for (const form of [spelling, lower, lower.charAt(0).toUpperCase() + lower.slice(1)]) BY_SPELLING.set(form, level);
}
for (const [level, spellings] of Object.entries(SPELLINGS) as [Severity, readonly string[]][]) {
  for (const spelling of spellings) add(spelling, level);
}
for (const [name, level] of OTEL_RANGES) for (const n of [2, 3, 4]) add(`${name}${n}`, level);

// Only printable ASCII is case-folded: toUpperCase maps a few other letters onto ASCII ones
// (dotless `ı` → `I`, long `ſ` → `S`), which would make `ınfo` a level.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * What callers may pass as a severity: one of the five wire levels, or a level name of a common
 * logger, in any case and with surrounding whitespace:
 *
 * | wire level | also accepted |
 * | --- | --- |
 * | `DEBUG` | `trace`, `verbose`, `silly`, `http` |
 * | `INFO` | `information`, `informational`, `notice` |
 * | `WARNING` | `warn` |
 * | `ERROR` | `err` |
 * | `CRITICAL` | `crit`, `fatal`, `alert`, `emerg`, `emergency`, `panic` |
 *
 * and OpenTelemetry's `TRACE2` … `FATAL4`. Any other string is sent as INFO and counted in
 * `stats().coerced.severity`.
 *
 * @example
 * ```ts
 * reporter.log('disk.full', { free: 0 }, 'fatal');      // CRITICAL
 * reporter.log('cache.miss', { key }, 'warn');          // WARNING
 * reporter.log('odd', {}, 'LOUD');                      // INFO, coerced.severity + 1
 * ```
 */
export type SeverityInput = Severity | Spelling | Lowercase<Spelling> | (string & {});

/**
 * The wire severity for a caller's input, or `undefined` when the input is not a level (the caller
 * then uses INFO and counts the coercion). See {@link SeverityInput} for the spellings. An exact
 * upper-, lower- or capitalised spelling is one map lookup.
 *
 * @example
 * ```ts
 * parseSeverity('WARNING');   // 'WARNING'
 * parseSeverity(' Fatal\n');  // 'CRITICAL'
 * parseSeverity('loud');      // undefined
 * ```
 */
export function parseSeverity(input: unknown): Severity | undefined {
  if (typeof input !== 'string') return undefined;
  const level = BY_SPELLING.get(input);
  if (level !== undefined) return level;
  const trimmed = input.trim();
  return PRINTABLE_ASCII.test(trimmed) ? BY_SPELLING.get(trimmed.toUpperCase()) : undefined;
}
