import type { Severity } from './wire.js';

const LEVELS: readonly Severity[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
const BY_INPUT = new Map<string, Severity>();
for (const level of LEVELS) {
  BY_INPUT.set(level, level);
  BY_INPUT.set(level.toLowerCase(), level);
}
BY_INPUT.set('WARN', 'WARNING');
BY_INPUT.set('warn', 'WARNING');

/** What callers may pass as a severity: the five levels in any case (and `warn`). */
export type SeverityInput = Severity | Lowercase<Severity> | 'warn' | 'WARN' | (string & {});

/**
 * The wire severity for a caller's input, or `undefined` when the input is not a level (the caller
 * then uses INFO and counts the coercion). Exact and lower-case spellings take the map's fast path.
 */
export function parseSeverity(input: unknown): Severity | undefined {
  if (typeof input !== 'string') return undefined;
  return BY_INPUT.get(input) ?? BY_INPUT.get(input.trim().toUpperCase());
}
