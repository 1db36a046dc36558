import { describe, expect, it } from '@jest/globals';
import { parseSeverity } from '../../src/events/severity.js';
import type { Severity } from '../../src/events/wire.js';

// [what a user writes, the logger it comes from, the wire level]
const SPELLINGS: readonly (readonly [string, string, Severity])[] = [
  ['DEBUG', 'rxtel, syslog, pino, winston, Python, log4j, OpenTelemetry', 'DEBUG'],
  ['trace', 'pino, log4j, .NET, OpenTelemetry', 'DEBUG'],
  ['verbose', 'winston, Serilog', 'DEBUG'],
  ['silly', 'winston', 'DEBUG'],
  ['http', 'winston (between info and verbose)', 'DEBUG'],
  ['INFO', 'rxtel and nearly everyone', 'INFO'],
  ['notice', 'syslog', 'INFO'],
  ['information', '.NET, Serilog', 'INFO'],
  ['informational', 'syslog (long form)', 'INFO'],
  ['WARNING', 'rxtel, syslog, Python', 'WARNING'],
  ['warn', 'pino, winston, log4j, Python, OpenTelemetry', 'WARNING'],
  ['ERROR', 'rxtel and nearly everyone', 'ERROR'],
  ['err', 'syslog', 'ERROR'],
  ['CRITICAL', 'rxtel, Python, .NET', 'CRITICAL'],
  ['crit', 'syslog', 'CRITICAL'],
  ['fatal', 'pino, log4j, Python, OpenTelemetry', 'CRITICAL'],
  ['alert', 'syslog', 'CRITICAL'],
  ['emerg', 'syslog', 'CRITICAL'],
  ['emergency', 'syslog (long form), Google Cloud', 'CRITICAL'],
  ['panic', 'syslog (deprecated emerg)', 'CRITICAL'],
  ['TRACE2', 'OpenTelemetry SeverityNumber 2', 'DEBUG'],
  ['DEBUG4', 'OpenTelemetry SeverityNumber 8', 'DEBUG'],
  ['INFO3', 'OpenTelemetry SeverityNumber 11', 'INFO'],
  ['WARN2', 'OpenTelemetry SeverityNumber 14', 'WARNING'],
  ['ERROR4', 'OpenTelemetry SeverityNumber 20', 'ERROR'],
  ['FATAL2', 'OpenTelemetry SeverityNumber 22', 'CRITICAL'],
];

/** The ways one spelling reaches us: as listed, upper, lower, capitalised, mixed, padded. */
function forms(spelling: string): string[] {
  const lower = spelling.toLowerCase();
  const mixed = [...lower].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');
  return [spelling, spelling.toUpperCase(), lower, lower.charAt(0).toUpperCase() + lower.slice(1), mixed, ` ${lower}\n`, `\t${spelling.toUpperCase()} `];
}

describe('parseSeverity', () => {
  it.each(SPELLINGS)('%s (%s) → %s, in any case, trimmed', (spelling, _source, level) => {
    for (const form of forms(spelling)) expect({ form, level: parseSeverity(form) }).toEqual({ form, level });
  });

  it.each([
    ['an unknown word', 'LOUD'],
    ['a near miss', 'warnings'],
    ['an abbreviation no logger uses', 'dbg'],
    ["log4j's OFF and ALL (not levels of a record)", 'off'],
    ["Python's NOTSET", 'NOTSET'],
    ['a numbered name outside OpenTelemetry', 'WARN5'],
    ['a number (syslog, Python and OpenTelemetry disagree on what 3 means)', '3'],
    ['an empty string', ''],
    ['whitespace', ' \n'],
    ['two levels', 'warn error'],
    ['a non-ASCII letter that upper-cases to ASCII', '\u0131nfo'],
  ])('%s (%j) is not a level', (_label, input) => {
    expect(parseSeverity(input)).toBeUndefined();
  });

  it.each([[undefined], [null], [3], [{ toString: () => 'ERROR' }], [['ERROR']]])('a non-string (%p) is not a level', (input) => {
    expect(parseSeverity(input)).toBeUndefined();
  });
});
