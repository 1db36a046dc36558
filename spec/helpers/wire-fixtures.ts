import { randomUUID } from 'node:crypto';
import type { TelemetryBatch, TelemetryEvent } from '../../src/events/wire.js';

export const TIMESTAMP = '2026-01-01T00:00:00.000001Z';

/** A valid GENERIC_EVENT (index 0 is a SESSION_START). */
export function makeEvent(index: number, overrides: Record<string, unknown> = {}): TelemetryEvent {
  const common = { event_id: randomUUID(), event_session_index: index, severity: 'INFO' as const, timestamp: TIMESTAMP };
  const event = index === 0 ? { event: 'SESSION_START' as const, ...common } : { event: 'GENERIC_EVENT' as const, ...common, event_name: 'e', event_data: { i: index } };
  return { ...event, ...overrides } as TelemetryEvent;
}

/** A valid batch of `n` events: SESSION_START, then GENERIC_EVENTs. */
export function makeBatch(n: number, overrides: Partial<TelemetryBatch> = {}): TelemetryBatch {
  return {
    session_id: randomUUID(),
    platform: 'linux/x64',
    sdk_version: '0.1.0',
    process_uuid: randomUUID(),
    events: Array.from({ length: n }, (_, i) => makeEvent(i)),
    ...overrides,
  };
}
