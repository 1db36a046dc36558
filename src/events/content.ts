import { LLM_EVENT_NAMES } from './names.js';
import { walk } from './walker.js';
import type { TelemetryEvent } from './wire.js';
import { byteBudget } from './work-budget.js';

/**
 * Raw content: what a user typed, what a model answered, what a tool got and gave. It lives in
 * `event_data.content` of any event, and in `input` / `output` of the typed generation and tool
 * events. It leaves the process only when the reporter's `captureContent` is on AND the sink
 * says `contentCapture: 'raw'`; everywhere else it is `{ redacted: true, chars }`.
 */
export const CONTENT_KEY = 'content';
const IO_KEYS = ['input', 'output'] as const;
/** Typed events whose `input` / `output` are content (see `llm-events.ts`). */
const IO_EVENTS = new Set<string>([LLM_EVENT_NAMES.generation, LLM_EVENT_NAMES.tool_execution]);

/** What replaces raw content: its size, never its text. */
export interface RedactedContent {
  readonly redacted: true;
  readonly chars: number;
}

/**
 * `{ redacted: true, chars }` for a value: its length as a string, or as JSON. The value may be
 * the caller's own (a typed event's `input`, before the sanitiser saw it), so the JSON is measured
 * through the walker with its work budget: strings are not cut, and a value too large to walk
 * reports the size walked, a lower bound.
 */
export function redactContent(value: unknown): RedactedContent {
  if (typeof value === 'string') return { redacted: true, chars: value.length };
  const walked = walk(value, { maxStringLength: byteBudget() });
  let chars = walked.atLeastBytes ?? 0;
  try {
    if (walked.atLeastBytes === undefined) chars = (JSON.stringify(walked.value) ?? '').length;
  } catch {
    chars = 0;
  }
  return { redacted: true, chars };
}

const isRedacted = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { redacted?: unknown }).redacted === true;

/** The keys of `data` that hold raw content for an event called `name`. */
export function contentKeys(name: string | undefined, data: Readonly<Record<string, unknown>>): string[] {
  const keys: string[] = [];
  if (CONTENT_KEY in data && !isRedacted(data[CONTENT_KEY])) keys.push(CONTENT_KEY);
  if (name !== undefined && IO_EVENTS.has(name)) {
    for (const key of IO_KEYS) if (key in data && !isRedacted(data[key])) keys.push(key);
  }
  return keys;
}

/** `data` with its content replaced, or `data` itself when it holds none (no copy). */
export function withoutContent(name: string | undefined, data: Record<string, unknown>): Record<string, unknown> {
  // Most events hold no content: no key list built for them.
  if (!(CONTENT_KEY in data) && (name === undefined || !IO_EVENTS.has(name))) return data;
  const keys = contentKeys(name, data);
  if (keys.length === 0) return data;
  const copy = { ...data };
  for (const key of keys) copy[key] = redactContent(data[key]);
  return copy;
}

/** The wire event as a sink without raw content sees it: the same object when it holds none. */
export function wireWithoutContent(event: TelemetryEvent): TelemetryEvent {
  if (event.event !== 'GENERIC_EVENT') return event;
  const data = withoutContent(event.event_name, event.event_data);
  return data === event.event_data ? event : { ...event, event_data: data };
}
