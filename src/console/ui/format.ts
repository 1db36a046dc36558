/** Text for numbers, times and sizes. Everything here returns plain strings, rendered as text. */
import type { ConsoleEvent } from '../model.js';

const int = new Intl.NumberFormat('en-US');
export const fmtInt = (n: number | undefined): string => (typeof n === 'number' && Number.isFinite(n) ? int.format(n) : '—');

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `14:03:22.120`, local time. */
export function fmtClock(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `2025-01-31 14:03:22`, local time. */
export function fmtDateTime(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function fmtIso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '—';
}

/** `840 µs`, `12 ms`, `3.42 s`, `4 m 05 s`, `2 h 10 m`. */
export function fmtDuration(ms: number | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  if (ms < 0) return `-${fmtDuration(-ms)}`;
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1).replace(/\.0$/, '') : Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${pad(Math.floor(s % 60))} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${pad(m % 60)} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** `+1.25 s` from a start. */
export const fmtOffset = (ms: number, start: number): string => `+${fmtDuration(Math.max(0, ms - start))}`;

export function fmtBytes(n: number | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** One line of text from any value (newlines shown as ⏎), at most `max` characters. */
export function oneLine(value: unknown, max = 240): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = text.replace(/\r?\n/g, ' ⏎ ').replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function dataSummary(data: Readonly<Record<string, unknown>> | undefined, max: number): string {
  if (!data || typeof data !== 'object') return '';
  const parts: string[] = [];
  let length = 0;
  for (const key of Object.keys(data)) {
    const part = `${key}=${oneLine(data[key], 80)}`;
    parts.push(part);
    length += part.length + 1;
    if (length > max) break;
  }
  return oneLine(parts.join(' '), max);
}

/** What an event row says after its name: the message, or the LLM call, the span's length, the data. */
export function eventSummary(event: ConsoleEvent, max = 240): string {
  const { llm, span } = event;
  if (llm) {
    const parts = [llm.type];
    if (llm.model) parts.push(llm.model);
    if (llm.tool) parts.push(`tool ${llm.tool}`);
    if (llm.input_tokens !== undefined || llm.output_tokens !== undefined) parts.push(`${fmtInt(llm.input_tokens)} → ${fmtInt(llm.output_tokens)} tokens`);
    if (llm.latency_ms !== undefined) parts.push(fmtDuration(llm.latency_ms));
    if (llm.status !== undefined) parts.push(String(llm.status));
    return oneLine(parts.join(' · '), max);
  }
  const chain = event.exception?.chain;
  if (chain && chain.length > 0) {
    const first = chain[0]!;
    return oneLine(`${first.message}${chain.length > 1 ? ` (+${chain.length - 1} cause${chain.length > 2 ? 's' : ''})` : ''}`, max);
  }
  if (span) {
    const text = `${fmtDuration(span.end_ms - span.start_ms)} · ${span.status}`;
    return oneLine(event.message && event.message !== event.name ? `${text} · ${event.message}` : text, max);
  }
  if (event.message !== undefined && event.message !== '') return oneLine(event.message, max);
  return dataSummary(event.data, max);
}
