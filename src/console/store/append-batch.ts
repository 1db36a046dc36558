/**
 * One append, in two steps around its write. `prepareAppend` touches nothing: it finds which
 * events are new (not in the id window, not earlier in the same batch), gives them their `seq` and
 * encodes all their lines into one buffer for one write. `commitAppend`, once the write succeeded,
 * counts them: the session's tally, its row index (when held) and the id window.
 */
import type { ConsoleEvent, IncomingEvent, SessionClient } from '../model.js';
import { eventLine, storedEvent } from './event-line.js';
import { sessionFileName } from './file-names.js';
import type { IdWindow } from './id-window.js';
import type { RowIndex } from './row-index.js';
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
  let duplicates = 0;
  let most = 0;
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
    stored.push(event);
    lines.push(line);
    most += line.length * 3 + 1; // UTF-8 takes at most 3 bytes per UTF-16 unit
  }
  // One pass: each line is encoded once, straight into the buffer of the write, which says its length.
  const buffer = Buffer.allocUnsafe(most);
  const lengths = new Array<number>(lines.length);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    const length = buffer.write(lines[i]!, at, 'utf8') + 1;
    buffer[at + length - 1] = 0x0a;
    lengths[i] = length;
    at += length;
  }
  const bytes = buffer.subarray(0, at);
  return { tally, facts: stored.length > 0 || existing !== undefined ? facts : undefined, stored, lengths, bytes, duplicates };
}

/**
 * Counts a prepared append whose bytes are now on disk: its events go into the tally (and the
 * client facts it brought), the row index when the session has one held, and the id window.
 *
 * @example
 * ```ts
 * await files.append(path, prepared.bytes, prepared.tally.bytes);
 * commitAppend(prepared, cache.get(session), ids);
 * ```
 */
export function commitAppend(prepared: PreparedAppend, rows: RowIndex | undefined, ids: IdWindow): void {
  const { tally, facts, stored, lengths } = prepared;
  if (facts !== undefined) tally.setClient(facts);
  let offset = tally.bytes;
  for (let i = 0; i < stored.length; i++) {
    const event = stored[i]!;
    tally.add(event, event.received_ms);
    rows?.add(offset, lengths[i]!, event);
    ids.add(tally.id, event.id);
    offset += lengths[i]!;
  }
  tally.lines += stored.length;
  tally.bytes = offset;
  tally.touch();
}
