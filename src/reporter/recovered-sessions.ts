import { createHash } from 'node:crypto';
import { formatTimestamp } from '../events/format.js';
import { SESSION_RECOVERED_EVENT } from '../events/names.js';
import { RecoveredRecord } from '../events/recovered-record.js';
import type { TelemetryEvent } from '../events/wire.js';

/** A name-based UUID: the same session always gets the same `rxtel.session.recovered` id, so a redone recovery is deduplicated. */
function derivedUuid(name: string): string {
  const hex = createHash('sha256').update(`rxtel.session.recovered\u0000${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface Seen {
  events: number;
  lastIndex: number;
  lastAt: string;
  ended: boolean;
}

/**
 * The sessions recovery found in the spool: how many of their events came back, the last one's
 * index and time, and whether their SESSION_END was among them. A session that never ended gets
 * one `rxtel.session.recovered`, so a backend can tell a crash from a session still running.
 */
export class RecoveredSessions {
  private readonly seen = new Map<string, Seen>();

  note(record: RecoveredRecord): void {
    const wire = record.toWire();
    const session = this.seen.get(record.sessionId) ?? { events: 0, lastIndex: -1, lastAt: wire.timestamp, ended: false };
    session.events++;
    session.lastIndex = Math.max(session.lastIndex, wire.event_session_index);
    session.lastAt = wire.timestamp;
    session.ended ||= wire.event === 'SESSION_END';
    this.seen.set(record.sessionId, session);
  }

  /** One `rxtel.session.recovered` per session seen that did not end (never the reporter's own), and a fresh start. */
  ends(ownSessionId: string, nowMs: number): RecoveredRecord[] {
    const ends: RecoveredRecord[] = [];
    for (const [sessionId, session] of this.seen) {
      if (session.ended || sessionId === ownSessionId) continue;
      const wire = {
        event: 'GENERIC_EVENT',
        event_id: derivedUuid(sessionId),
        event_session_index: session.lastIndex + 1,
        severity: 'WARNING',
        timestamp: formatTimestamp(nowMs),
        event_name: SESSION_RECOVERED_EVENT,
        event_data: { events_recovered: session.events, last_event_at: session.lastAt },
      } as TelemetryEvent;
      ends.push(new RecoveredRecord(sessionId, wire, 0, 400));
    }
    this.seen.clear();
    return ends;
  }
}
