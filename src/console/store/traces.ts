/**
 * A session's traces, from its `span` and `llm` events that carry a `span`: grouped by trace id;
 * the root is the earliest span whose parent is not in the trace; the duration runs from the
 * earliest start to the latest end; errors are spans with status `error`. The list is kept on the
 * row index until the session gets new rows.
 */
import type { FileHandle } from 'node:fs/promises';
import type { SpanInfo } from '../model.js';
import type { TraceSummary } from '../store-api.js';
import { parseEventLine } from './event-line.js';
import { readRows } from './line-reader.js';
import type { RowIndex } from './row-index.js';

interface SpanRow {
  readonly name: string;
  readonly span: SpanInfo;
}

const isSpan = (span: unknown): span is SpanInfo => {
  if (typeof span !== 'object' || span === null) return false;
  const s = span as Record<string, unknown>;
  return typeof s['trace_id'] === 'string' && typeof s['start_ms'] === 'number' && typeof s['end_ms'] === 'number';
};

/** One trace's summary from its spans. */
function summarise(traceId: string, spans: readonly SpanRow[]): TraceSummary {
  const ids = new Set(spans.map((s) => s.span.span_id));
  let root: SpanRow | undefined;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let errors = 0;
  for (const row of spans) {
    const { span } = row;
    start = Math.min(start, span.start_ms);
    end = Math.max(end, span.end_ms);
    if (span.status === 'error') errors++;
    const orphan = span.parent_span_id === undefined || span.parent_span_id === '' || !ids.has(span.parent_span_id);
    if (orphan && (root === undefined || span.start_ms < root.span.start_ms)) root = row;
  }
  // Every span has its parent here (a cycle): the earliest one stands for the root.
  root ??= spans.reduce((a, b) => (b.span.start_ms < a.span.start_ms ? b : a));
  return { trace_id: traceId, name: root.name, start_ms: start, duration_ms: Math.max(0, end - start), spans: spans.length, errors };
}

/**
 * The session's traces, earliest first.
 *
 * @example
 * ```ts
 * await traceList(file, rows); // [{ trace_id: '4bf9…', name: 'GET /checkout', start_ms, duration_ms: 182, spans: 7, errors: 1 }]
 * ```
 */
export async function traceList(file: FileHandle, rows: RowIndex): Promise<readonly TraceSummary[]> {
  const memo = rows.memo;
  if (memo?.rows === rows.count) return memo.value as readonly TraceSummary[];
  const count = rows.count;
  const byTrace = new Map<string, SpanRow[]>();
  await readRows(file, rows, rows.select({ kinds: ['span', 'llm'] }), (_row, line) => {
    const event = parseEventLine(line)?.event;
    if (event === undefined || !isSpan(event.span)) return;
    let spans = byTrace.get(event.span.trace_id);
    if (spans === undefined) byTrace.set(event.span.trace_id, (spans = []));
    spans.push({ name: event.name, span: event.span });
  });
  const traces = [...byTrace].map(([id, spans]) => summarise(id, spans)).sort((a, b) => a.start_ms - b.start_ms);
  rows.memo = { rows: count, value: traces };
  return traces;
}
