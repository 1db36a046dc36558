/**
 * What the store knows about one session without reading its file: its {@link SessionSummary},
 * kept current event by event, and where its file ends. It is what the index saves and what a
 * restart reads back.
 */
import { SEVERITIES, type ConsoleEvent, type ConsoleSource, type SessionClient, type SessionStatus, type SessionSummary } from '../model.js';
import { clientFacts } from './event-line.js';

const CLIENT_KEYS = ['service', 'sdk', 'platform'] as const;

/** A session's tally as the index file keeps it. */
export interface TallyRecord {
  readonly file: string;
  /** The file's length that `summary` accounts for: whole lines only. */
  readonly bytes: number;
  /** Lines in those bytes, unreadable ones included: the next event's `seq`. */
  readonly lines: number;
  /** The SESSION_END's own duration, when it sent one. */
  readonly end_duration_ms?: number;
  readonly summary: SessionSummary;
}

/**
 * One session's running summary.
 *
 * @example
 * ```ts
 * const tally = new SessionTally('s', sessionFileName('s'));
 * tally.add(event, 120, 1_700_000_000_000);
 * tally.summary(); // { id: 's', status: 'running', events: 1, bytes: 0, … } (bytes: set by the writer)
 * ```
 */
export class SessionTally {
  /** Bytes of whole lines in the file. */
  bytes = 0;
  /** Lines in the file (the next `seq`). */
  lines = 0;
  events = 0;
  private exceptions = 0;
  private readonly severities = [0, 0, 0, 0, 0];
  private readonly sources: ConsoleSource[] = [];
  private start = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  received = 0;
  private ended = false;
  private crashed = false;
  private endDuration: number | undefined;
  private client: SessionClient = {};
  private cached: SessionSummary | undefined;

  constructor(
    readonly id: string,
    readonly file: string,
  ) {}

  /** Counts `event`; `received` is the store's clock when it arrived. */
  add(event: ConsoleEvent, received: number): void {
    this.cached = undefined;
    this.events++;
    const severity = SEVERITIES.indexOf(event.severity);
    this.severities[severity < 0 ? 1 : severity]!++;
    if (!this.sources.includes(event.source)) this.sources.push(event.source);
    if (event.ts < this.start) this.start = event.ts;
    if (event.ts > this.last) this.last = event.ts;
    if (received > this.received) this.received = received;
    if (event.kind === 'exception') {
      this.exceptions++;
      if (event.severity === 'CRITICAL') this.crashed = true;
    } else if (event.kind === 'session_end') {
      this.ended = true;
      const duration = event.data?.['duration_ms'];
      if (typeof duration === 'number' && Number.isFinite(duration)) this.endDuration = duration;
    }
  }

  /** The client facts `client` would add (the first non-empty value of each wins), or `undefined` when none. */
  newClientFacts(client: SessionClient): SessionClient | undefined {
    const given = clientFacts(client);
    const merged: { service?: string; sdk?: string; platform?: string } = { ...this.client };
    let changed = false;
    for (const key of CLIENT_KEYS) {
      if (merged[key] === undefined && given[key] !== undefined) {
        merged[key] = given[key];
        changed = true;
      }
    }
    return changed ? merged : undefined;
  }

  /** Takes the facts {@link newClientFacts} answered (or a line carried). */
  setClient(client: SessionClient): void {
    const merged = this.newClientFacts(client);
    if (merged === undefined) return;
    this.client = merged;
    this.cached = undefined;
  }

  /** Marks the summary as changed (after `bytes` moved). */
  touch(): void {
    this.cached = undefined;
  }

  get status(): SessionStatus {
    return this.crashed ? 'crashed' : this.ended ? 'ended' : 'running';
  }

  /** The summary as the API shows it (the same object until something changes). */
  summary(): SessionSummary {
    if (this.cached !== undefined) return this.cached;
    const start = this.events === 0 ? this.received : this.start;
    const last = this.events === 0 ? this.received : this.last;
    const severities = Object.fromEntries(SEVERITIES.map((name, i) => [name, this.severities[i]!])) as Record<(typeof SEVERITIES)[number], number>;
    this.cached = {
      id: this.id,
      ...this.client,
      status: this.status,
      start_ms: start,
      last_ms: last,
      duration_ms: this.endDuration ?? last - start,
      received_ms: this.received,
      events: this.events,
      exceptions: this.exceptions,
      severities,
      sources: [...this.sources],
      bytes: this.bytes,
    };
    return this.cached;
  }

  /** What the index keeps of it. */
  record(): TallyRecord {
    const record = { file: this.file, bytes: this.bytes, lines: this.lines, summary: this.summary() };
    return this.endDuration === undefined ? record : { ...record, end_duration_ms: this.endDuration };
  }

  /**
   * The tally the index saved.
   *
   * @example
   * ```ts
   * SessionTally.fromRecord(tally.record()).summary(); // equal to tally.summary()
   * ```
   */
  static fromRecord(record: TallyRecord): SessionTally {
    const { summary } = record;
    const tally = new SessionTally(summary.id, record.file);
    tally.bytes = record.bytes;
    tally.lines = record.lines;
    tally.events = summary.events;
    tally.exceptions = summary.exceptions;
    SEVERITIES.forEach((name, i) => (tally.severities[i] = summary.severities[name]));
    tally.sources.push(...summary.sources);
    if (summary.events > 0) {
      tally.start = summary.start_ms;
      tally.last = summary.last_ms;
    }
    tally.received = summary.received_ms;
    tally.ended = summary.status === 'ended';
    tally.crashed = summary.status === 'crashed';
    tally.endDuration = record.end_duration_ms;
    tally.client = clientFacts(summary);
    return tally;
  }
}
