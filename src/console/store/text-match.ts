/**
 * The `text` and `trace_id` filters, which the row index cannot answer: each line is tested raw
 * first (cheap, and never misses a match), then the parsed event is checked, so that what only
 * looks like a match in the JSON (`"severity":"INFO"` for `info`, an escape such as `\n` for `n`)
 * is not one.
 */
import type { ConsoleEvent, EventFilter } from '../model.js';

/** A test of one line: `raw` on the lowercased JSON text, then `matches` on the parsed event. */
export interface LineMatcher {
  raw(lowercaseLine: string): boolean;
  matches(event: ConsoleEvent): boolean;
}

/** The text inside a JSON string literal for `text` (`a"b` → `a\"b`). */
const escaped = (text: string): string => JSON.stringify(text).slice(1, -1);

const contains = (value: unknown, part: string): boolean => typeof value === 'string' && value.toLowerCase().includes(part);

/**
 * Matches events whose name, message, data (as JSON), exception chain (types, messages, stacks) or
 * ids (`id`, `trace_id`, `span_id`, the span's parent) contain `text`, case-insensitively. In the
 * data's JSON a quote or backslash may be searched as typed or as escaped.
 *
 * @example
 * ```ts
 * const m = textMatcher('Timeout');
 * m.matches(event); // true for { name: 'db.timeout', … } and for { data: { error: 'timeout' }, … }
 * ```
 */
export function textMatcher(text: string): LineMatcher {
  const plain = text.toLowerCase();
  const inJson = escaped(plain);
  return {
    raw: (line) => line.includes(plain) || line.includes(inJson),
    matches(event) {
      if (contains(event.name, plain) || contains(event.message, plain)) return true;
      if (contains(event.id, plain) || contains(event.trace_id, plain) || contains(event.span_id, plain)) return true;
      if (contains(event.span?.trace_id, plain) || contains(event.span?.span_id, plain) || contains(event.span?.parent_span_id, plain)) return true;
      for (const part of event.exception?.chain ?? []) {
        if (contains(part.type, plain) || contains(part.message, plain) || contains(part.stack, plain)) return true;
      }
      if (event.data === undefined) return false;
      const data = JSON.stringify(event.data).toLowerCase();
      return data.includes(plain) || data.includes(inJson);
    },
  };
}

/**
 * Matches the events of one trace (its `trace_id` or its span's), case-insensitively.
 *
 * @example
 * ```ts
 * traceMatcher('4BF92F3577B34DA6A3CE929D0E0E4736').matches({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', … }); // true
 * ```
 */
export function traceMatcher(traceId: string): LineMatcher {
  const wanted = traceId.toLowerCase();
  const inJson = escaped(wanted);
  const same = (value: unknown): boolean => typeof value === 'string' && value.toLowerCase() === wanted;
  return {
    raw: (line) => line.includes(inJson),
    matches: (event) => same(event.trace_id) || same(event.span?.trace_id),
  };
}

/**
 * The line tests `filter` asks for (none when it has no `text` and no `trace_id`).
 *
 * @example
 * ```ts
 * lineMatchers({ text: 'boom', severities: ['ERROR'] }); // [textMatcher('boom')]
 * ```
 */
export function lineMatchers(filter: EventFilter): LineMatcher[] {
  const out: LineMatcher[] = [];
  if (filter.text) out.push(textMatcher(filter.text));
  if (filter.trace_id) out.push(traceMatcher(filter.trace_id));
  return out;
}
