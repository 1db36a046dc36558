import type { ConsoleEvent } from '../../model.js';
import { hrefFor, NO_FILTERS } from '../route.js';
import { fmtDuration, fmtInt, fmtIso, fmtOffset } from '../format.js';
import { kindLabel } from '../api.js';
import { Facts, SeverityLabel } from './common.js';
import { JsonTree } from './JsonTree.js';

function ExceptionChain({ event }: { event: ConsoleEvent }) {
  const chain = event.exception?.chain ?? [];
  if (chain.length === 0) return null;
  return (
    <section class="detail-section" aria-label="Exception and its causes">
      <h3>Exception{chain.length > 1 ? ` and ${chain.length - 1} cause${chain.length > 2 ? 's' : ''}` : ''}</h3>
      <ol class="chain">
        {chain.map((part, i) => (
          <li key={i}>
            <details class="exception-part" data-testid="exception-part" open={i === 0}>
              <summary>
                {i > 0 && <span class="muted">caused by </span>}
                <strong class="exc-type">{part.type}</strong>
                <span class="exc-message">{part.message ? `: ${part.message}` : ''}</span>
              </summary>
              {part.stack ? <pre class="stack">{part.stack}</pre> : <p class="muted">No stack was sent for this part.</p>}
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

function LlmFacts({ event }: { event: ConsoleEvent }) {
  const llm = event.llm;
  if (!llm) return null;
  return (
    <section class="detail-section" aria-label="LLM call">
      <h3>LLM {llm.type}</h3>
      <Facts
        items={[
          ['model', llm.model ?? '—'],
          llm.tool !== undefined && ['tool', llm.tool],
          ['tokens in', fmtInt(llm.input_tokens)],
          ['tokens out', fmtInt(llm.output_tokens)],
          ['latency', fmtDuration(llm.latency_ms)],
          ['status', llm.status !== undefined ? <span class={/^(error|false|failed)$/i.test(String(llm.status)) ? 'error-text' : ''}>{String(llm.status)}</span> : '—'],
        ]}
      />
    </section>
  );
}

function SpanFacts({ event, sessionId }: { event: ConsoleEvent; sessionId: string }) {
  const span = event.span;
  if (!span) return null;
  return (
    <section class="detail-section" aria-label="Span">
      <h3>Span</h3>
      <Facts
        items={[
          ['duration', fmtDuration(span.end_ms - span.start_ms)],
          ['status', <span class={span.status === 'error' ? 'error-text' : ''}>{span.status}</span>],
          ['start', fmtIso(span.start_ms)],
          ['end', fmtIso(span.end_ms)],
          [
            'trace',
            <a class="mono" href={hrefFor({ view: 'session', id: sessionId, tab: 'traces', traceId: span.trace_id, spanId: span.span_id, filters: NO_FILTERS })}>
              {span.trace_id}
            </a>,
          ],
          ['span id', <span class="mono">{span.span_id}</span>],
          ['parent', span.parent_span_id !== undefined ? <span class="mono">{span.parent_span_id}</span> : 'none (a root)'],
        ]}
      />
    </section>
  );
}

/** One event: its fields, its exception chain, LLM call, span, and its data as a tree of text. */
export function EventDetail({ event, sessionId, sessionStart, onClose }: { event: ConsoleEvent | undefined; sessionId: string; sessionStart: number | undefined; onClose: () => void }) {
  return (
    <aside class="detail" aria-label="Event detail" data-testid="event-detail">
      <div class="detail-head">
        {event ? (
          <>
            <SeverityLabel severity={event.severity} />
            <span class={`kind kind-${event.kind}`}>{kindLabel(event.kind)}</span>
            <h2 class="detail-title">{event.name}</h2>
          </>
        ) : (
          <h2 class="detail-title muted">Loading…</h2>
        )}
        <span class="spacer" />
        {event && (
          <button type="button" class="link-button" title="Copy the event as JSON" onClick={() => void navigator.clipboard?.writeText(JSON.stringify(event, null, 2))}>
            copy JSON
          </button>
        )}
        <button type="button" class="close" aria-label="Close the detail" onClick={onClose} data-testid="detail-close">
          ×
        </button>
      </div>
      {event && (
        <div class="detail-body">
          {event.message !== undefined && event.message !== '' && <p class="detail-message">{event.message}</p>}
          <Facts
            items={[
              ['time', `${fmtIso(event.ts)}${sessionStart !== undefined ? ` (${fmtOffset(event.ts, sessionStart)})` : ''}`],
              ['received', fmtIso(event.received_ms)],
              ['seq', String(event.seq)],
              ['id', <span class="mono">{event.id}</span>],
              ['source', event.source],
              event.trace_id !== undefined && !event.span && [
                'trace',
                <a class="mono" href={hrefFor({ view: 'session', id: sessionId, tab: 'traces', traceId: event.trace_id, filters: NO_FILTERS })}>
                  {event.trace_id}
                </a>,
              ],
              event.span_id !== undefined && !event.span && ['span id', <span class="mono">{event.span_id}</span>],
            ]}
          />
          <ExceptionChain event={event} />
          <LlmFacts event={event} />
          <SpanFacts event={event} sessionId={sessionId} />
          <section class="detail-section" aria-label="Data">
            <h3>Data</h3>
            {event.data !== undefined ? <JsonTree value={event.data} label="event data" /> : <p class="muted">No data.</p>}
          </section>
        </div>
      )}
    </aside>
  );
}
