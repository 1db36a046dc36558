import { useEffect, useState } from 'preact/hooks';
import type { ConsoleEvent, SessionSummary } from '../../model.js';
import { DROP_REASONS } from '../../../events/drop-reasons.js';
import { api, type HealthAnswer } from '../api.js';
import { fmtClock, fmtDuration, fmtInt, fmtOffset } from '../format.js';
import { Empty, ErrorNote } from './common.js';

/** What one `telemetry.health` report says (its `data`, read defensively: it came from the app). */
interface Report {
  readonly ts: number;
  readonly dropped: Readonly<Record<string, number>>;
  readonly total: number;
  readonly queued: number | undefined;
  readonly intervalMs: number | undefined;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function readReport(e: ConsoleEvent): Report {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const dropped: Record<string, number> = {};
  const raw = data['dropped'];
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [reason, n] of Object.entries(raw as Record<string, unknown>)) {
      const count = num(n);
      if (count !== undefined && count > 0) dropped[reason] = count;
    }
  }
  const summed = Object.values(dropped).reduce((a, b) => a + b, 0);
  return { ts: e.ts, dropped, total: num(data['total']) ?? summed, queued: num(data['queued']), intervalMs: num(data['interval_ms']) };
}

interface SinkChange {
  readonly ts: number;
  readonly sink: string;
  readonly state: string;
  readonly previous: string;
  readonly error: string | undefined;
}

function readSinkChange(e: ConsoleEvent): SinkChange {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
  return { ts: e.ts, sink: text(data['sink']) || '(unnamed sink)', state: text(data['state']) || '?', previous: text(data['previous']) || '?', error: data['error'] === undefined ? undefined : text(data['error']) };
}

const describe = (reason: string): string => (Object.prototype.hasOwnProperty.call(DROP_REASONS, reason) ? DROP_REASONS[reason as keyof typeof DROP_REASONS].text : reason === 'partiallyDelivered' ? 'lost by some sinks while others delivered them' : '');

const stateClass = (state: string): string => (state === 'healthy' ? 'state-healthy' : state === 'degraded' ? 'state-degraded' : state === 'failed' ? 'state-failed' : 'state-other');

/** Per sink, the states it went through as segments between `from` and `to`. */
function SinkTimeline({ changes, from, to }: { changes: readonly SinkChange[]; from: number; to: number }) {
  const sinks = [...new Set(changes.map((c) => c.sink))];
  const span = Math.max(to - from, 1);
  const pct = (t: number): number => Math.min(100, Math.max(0, ((t - from) / span) * 100));
  return (
    <div class="sink-timeline" aria-label="Sink states over the session">
      {sinks.map((sink) => {
        const mine = changes.filter((c) => c.sink === sink);
        const segments: { state: string; start: number; end: number }[] = [];
        const first = mine[0];
        if (first) segments.push({ state: first.previous, start: from, end: first.ts });
        mine.forEach((c, i) => segments.push({ state: c.state, start: c.ts, end: mine[i + 1]?.ts ?? to }));
        return (
          <div class="sink-lane" key={sink}>
            <span class="sink-name" title={sink}>
              {sink}
            </span>
            <span class="sink-track">
              {segments.map((s, i) => (
                <span key={i} class={`sink-seg ${stateClass(s.state)}`} style={{ left: `${pct(s.start)}%`, width: `${Math.max(0.3, pct(s.end) - pct(s.start))}%` }} title={`${s.state} from ${fmtClock(s.start)} for ${fmtDuration(s.end - s.start)}`} />
              ))}
            </span>
          </div>
        );
      })}
      <div class="sink-lane sink-axis" aria-hidden="true">
        <span class="sink-name" />
        <span class="sink-track">
          <span class="muted">{fmtClock(from)}</span>
          <span class="muted">{fmtClock(to)}</span>
        </span>
      </div>
    </div>
  );
}

/** What the client lost and why: its `telemetry.health` reports and `telemetry.sink_health` changes. */
export function HealthTab({ id, session, tick }: { id: string; session: SessionSummary | undefined; tick: number }) {
  const [answer, setAnswer] = useState<HealthAnswer>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const controller = new AbortController();
    api.health(id, controller.signal).then(
      (a) => {
        setAnswer(a);
        setError(undefined);
      },
      (e: unknown) => !controller.signal.aborted && setError(e),
    );
    return () => controller.abort();
  }, [id, tick]);

  if (error !== undefined) return <ErrorNote error={error} />;
  if (!answer)
    return (
      <div class="health-panel" data-testid="health-panel">
        <p class="muted">Loading health reports…</p>
      </div>
    );

  const reports = answer.reports.map(readReport);
  const changes = answer.sinks.map(readSinkChange);
  const lost = reports.reduce((a, r) => a + r.total, 0);
  const byReason = new Map<string, number>();
  for (const r of reports) for (const [reason, n] of Object.entries(r.dropped)) byReason.set(reason, (byReason.get(reason) ?? 0) + n);
  const latest = reports[reports.length - 1];
  const reasons = [...byReason.entries()].sort((a, b) => b[1] - a[1]);
  const start = session?.start_ms ?? Math.min(reports[0]?.ts ?? Infinity, changes[0]?.ts ?? Infinity);
  const end = Math.max(session?.last_ms ?? 0, latest?.ts ?? 0, changes[changes.length - 1]?.ts ?? 0);
  let running = 0;

  return (
    <div class="health-panel" data-testid="health-panel">
      <section aria-labelledby="losses-h">
        <h2 id="losses-h">What the client lost</h2>
        {lost === 0 ? (
          <p class="ok-note" data-testid="no-losses">
            No losses reported{reports.length > 0 ? '' : ': this session sent no telemetry.health report'}.
          </p>
        ) : (
          <>
            <p class="summary-line">
              <strong class="error-text">{fmtInt(lost)}</strong> event{lost === 1 ? '' : 's'} lost, over {fmtInt(reports.length)} report{reports.length === 1 ? '' : 's'}
              {latest?.queued !== undefined && ` · ${fmtInt(latest.queued)} queued at the last one`}.
            </p>
            <table class="grid compact" aria-label="Losses by reason" data-testid="drops-table">
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col">Meaning</th>
                  <th scope="col" class="num">
                    All reports
                  </th>
                  <th scope="col" class="num">
                    Latest report
                  </th>
                </tr>
              </thead>
              <tbody>
                {reasons.map(([reason, n]) => (
                  <tr key={reason} data-reason={reason}>
                    <td class="mono">{reason}</td>
                    <td class="muted">{describe(reason)}</td>
                    <td class="num">{fmtInt(n)}</td>
                    <td class="num">{fmtInt(latest?.dropped[reason] ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      {reports.length > 0 && (
        <section aria-labelledby="reports-h">
          <h2 id="reports-h">Reports over time</h2>
          <table class="grid compact" aria-label="Health reports, how the losses grew">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col" class="num">
                  Lost in this report
                </th>
                <th scope="col" class="num">
                  Lost so far
                </th>
                <th scope="col" class="bar-col" aria-label="Lost so far, as a bar" />
                <th scope="col" class="num">
                  Queued
                </th>
                <th scope="col">Reasons</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r, i) => {
                running += r.total;
                return (
                  <tr key={i}>
                    <td class="mono nowrap" title={Number.isFinite(start) ? fmtOffset(r.ts, start) : undefined}>
                      {fmtClock(r.ts)}
                    </td>
                    <td class="num">{fmtInt(r.total)}</td>
                    <td class="num">{fmtInt(running)}</td>
                    <td class="bar-col">
                      <span class="mini-bar status-error" style={{ width: `${lost > 0 ? Math.max(1, (running / lost) * 100) : 0}%` }} />
                    </td>
                    <td class="num">{r.queued === undefined ? '—' : fmtInt(r.queued)}</td>
                    <td class="sub">
                      {Object.entries(r.dropped)
                        .map(([reason, n]) => `${reason} ${fmtInt(n)}`)
                        .join(', ')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}

      <section aria-labelledby="sinks-h">
        <h2 id="sinks-h">Sink states</h2>
        {changes.length === 0 ? (
          <Empty>No sink changed state (sink health is reported only by clients with several sinks).</Empty>
        ) : (
          <>
            {Number.isFinite(start) && <SinkTimeline changes={changes} from={start} to={Math.max(end, start + 1)} />}
            <table class="grid compact" aria-label="Sink state changes" data-testid="sink-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Sink</th>
                  <th scope="col">Change</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c, i) => (
                  <tr key={i}>
                    <td class="mono nowrap">{fmtClock(c.ts)}</td>
                    <td>{c.sink}</td>
                    <td class="nowrap">
                      <span class={`state ${stateClass(c.previous)}`}>{c.previous}</span> → <span class={`state ${stateClass(c.state)}`}>{c.state}</span>
                    </td>
                    <td class="sub">{c.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
