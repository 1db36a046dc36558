/**
 * The part of an append that touches no file: which events are new (not seen in the id window
 * nor earlier in the same batch), their positions, and the bytes of all their lines, ready for one
 * write. Nothing is counted yet: the store commits only after the write succeeded.
 */
import type { ConsoleEvent, IncomingEvent, SessionClient } from '../model.js';
import { eventLine, storedEvent } from './event-line.js';
import { sessionFileName } from './file-names.js';
import type { IdWindow } from './id-window.js';
import { SessionTally } from './session-tally.js';

/** One append, ready to write. */
export interface PreparedAppend {
  /** The session's tally: the existing one, or a new one not yet in the store. */
  readonly tally: SessionTally;
  /** Client facts the append adds (they ride on its first line), if any. */
  readonly facts: SessionClient | undefined;
  readonly stored: readonly ConsoleEvent[];
  /** Each stored event's line length in bytes, newline included. */
  readonly lengths: readonly number[];
  /** All the lines, for one write. */
  readonly bytes: Buffer;
  readonly duplicates: number;
}

/**
 * Prepares the append of `events` to `session`, received at `now`.
 *
 * @example
 * ```ts
 * const prepared = prepareAppend(tallies.get('s'), 's', { sdk: 'rxtel 0.1.0' }, events, ids, Date.now());
 * await files.append(path, prepared.bytes, prepared.tally.bytes);
 * ```
 */
export function prepareAppend(
  existing: SessionTally | undefined,
  session: string,
  client: SessionClient,
  events: readonly IncomingEvent[],
  ids: IdWindow,
  now: number,
): PreparedAppend {
  const tally = existing ?? new SessionTally(session, sessionFileName(session));
  const facts = tally.newClientFacts(client ?? {});
  const batch = new Set<string>();
  const stored: ConsoleEvent[] = [];
  const lines: string[] = [];
  const lengths: number[] = [];
  let duplicates = 0;
  let total = 0;
  for (const input of events) {
    if (typeof input !== 'object' || input === null) continue;
    const event = storedEvent(input, session, tally.lines + stored.length, now);
    if (event.id !== '') {
      if (batch.has(event.id) || ids.has(session, event.id)) {
        duplicates++;
        continue;
      }
      batch.add(event.id);
    }
    const line = eventLine(event, stored.length === 0 ? facts : undefined);
    const length = Buffer.byteLength(line) + 1;
    stored.push(event);
    lines.push(line);
    lengths.push(length);
    total += length;
  }
  const bytes = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    at += bytes.write(lines[i]!, at);
    bytes[at++] = 0x0a;
  }
  return { tally, facts: stored.length > 0 || existing !== undefined ? facts : undefined, stored, lengths, bytes, duplicates };
}
