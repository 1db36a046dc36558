import { EVENT_KINDS, SEVERITIES, type ConsoleEventKind, type ConsoleSeverity, type EventFilter } from '../model.js';

/** A query the API cannot take: answered 400 with this line. */
export class QueryError extends Error {}

const list = <T extends string>(param: string, value: string | null, allowed: readonly T[]): T[] | undefined => {
  if (value === null || value === '') return undefined;
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new QueryError(`${param}: \`${item.slice(0, 40)}\` is not one of ${allowed.join(', ')}`);
  }
  return items as T[];
};

const text = (value: string | null): string | undefined => (value === null || value === '' ? undefined : value);

/**
 * The filter of an events or histogram query: `severity` and `kind` (comma lists), `name`, `q`,
 * `trace`. An unknown severity or kind is a {@link QueryError}.
 *
 * @example
 * ```ts
 * filterOf(new URLSearchParams('severity=ERROR,CRITICAL&q=timeout')); // { severities: ['ERROR', 'CRITICAL'], text: 'timeout' }
 * ```
 */
export function filterOf(params: URLSearchParams): EventFilter {
  const severities = list<ConsoleSeverity>('severity', params.get('severity'), SEVERITIES);
  const kinds = list<ConsoleEventKind>('kind', params.get('kind'), EVENT_KINDS);
  const name = text(params.get('name'));
  const search = text(params.get('q'));
  const trace = text(params.get('trace'));
  return {
    ...(severities === undefined ? {} : { severities }),
    ...(kinds === undefined ? {} : { kinds }),
    ...(name === undefined ? {} : { name }),
    ...(search === undefined ? {} : { text: search }),
    ...(trace === undefined ? {} : { trace_id: trace }),
  };
}

/**
 * An integer query parameter from `min` to `max`, `fallback` when absent; anything else is a {@link QueryError}.
 *
 * @example
 * ```ts
 * intParam(new URLSearchParams('limit=50'), 'limit', 200, 1, 1000); // 50
 * ```
 */
export function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const value = params.get(name);
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new QueryError(`${name} must be an integer from ${min} to ${max}, got \`${value.slice(0, 40)}\``);
  }
  return Number(value);
}
