import type { ConsoleSeverity } from '../model.js';

/**
 * The five Tinker severities the console keeps, from what the other protocols say: OTLP's
 * `SeverityNumber` and `severityText` (opentelemetry-proto v1.11.0 `logs.proto`), Langfuse's
 * observation level (langfuse/langfuse `packages/shared/src/server/ingestion/types.ts`, `ObservationLevel`).
 */

/** `SeverityNumber` ranges: 1–4 TRACE and 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL. */
function fromNumber(value: number): ConsoleSeverity | undefined {
  if (!Number.isInteger(value) || value < 1 || value > 24) return undefined;
  if (value <= 8) return 'DEBUG';
  if (value <= 12) return 'INFO';
  if (value <= 16) return 'WARNING';
  return value <= 20 ? 'ERROR' : 'CRITICAL';
}

const WORDS: Readonly<Record<string, ConsoleSeverity>> = {
  TRACE: 'DEBUG',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  INFORMATION: 'INFO',
  NOTICE: 'INFO',
  WARN: 'WARNING',
  WARNING: 'WARNING',
  ERR: 'ERROR',
  ERROR: 'ERROR',
  FATAL: 'CRITICAL',
  CRITICAL: 'CRITICAL',
  CRIT: 'CRITICAL',
  ALERT: 'CRITICAL',
  EMERG: 'CRITICAL',
  EMERGENCY: 'CRITICAL',
};

/**
 * The severity of an OTLP log record: by `severityNumber` (1–8 → DEBUG, 9–12 → INFO, 13–16 →
 * WARNING, 17–20 → ERROR, 21–24 → CRITICAL); when it is 0 or absent, by `severityText` (`WARN`,
 * `Information`, `error2`, … case-insensitively, a trailing digit ignored); else INFO.
 *
 * @example
 * ```ts
 * otlpSeverity(13, 'WARN');        // 'WARNING'
 * otlpSeverity(0, 'Information');  // 'INFO'
 * otlpSeverity(undefined, 'fatal'); // 'CRITICAL'
 * ```
 */
export function otlpSeverity(number: unknown, text: unknown): ConsoleSeverity {
  const value = typeof number === 'string' && /^\d+$/.test(number) ? Number(number) : number;
  const byNumber = typeof value === 'number' ? fromNumber(value) : undefined;
  if (byNumber !== undefined) return byNumber;
  if (typeof text !== 'string') return 'INFO';
  const word = text.trim().toUpperCase().replace(/\d$/, '');
  return Object.hasOwn(WORDS, word) ? (WORDS[word] as ConsoleSeverity) : 'INFO';
}

const LEVELS: Readonly<Record<string, ConsoleSeverity>> = { DEBUG: 'DEBUG', DEFAULT: 'INFO', WARNING: 'WARNING', ERROR: 'ERROR' };

/**
 * The severity of a Langfuse level: DEBUG → DEBUG, DEFAULT → INFO, WARNING → WARNING, ERROR →
 * ERROR; `undefined` for anything else (absent, or not a level).
 *
 * @example
 * ```ts
 * langfuseSeverity('DEFAULT'); // 'INFO'
 * ```
 */
export function langfuseSeverity(level: unknown): ConsoleSeverity | undefined {
  return typeof level === 'string' && Object.hasOwn(LEVELS, level) ? LEVELS[level] : undefined;
}
