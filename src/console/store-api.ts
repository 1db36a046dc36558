import type { ConsoleEvent, ConsoleSeverity, EventFilter, IncomingEvent, SessionClient, SessionSummary } from './model.js';

/** How the store is bounded. */
export interface ConsoleStoreOptions {
  /** The folder it keeps its files in (created when missing). */
  readonly dir: string;
  /**
   * Bytes on disk at most, over all sessions: past it, the oldest sessions (by their last event
   * received) are deleted whole until it fits, never the session being written to.
   * @defaultValue 256 MiB
   */
  readonly maxBytes?: number;
  /**
   * Events whose row index (position, time, severity, kind, name) is kept in memory at most, over
   * all sessions; sessions used least recently give theirs up first and read it back from disk
   * when asked again. This, with the bounded id window, is what bounds the console's memory.
   * @defaultValue 2,000,000
   */
  readonly maxIndexedEvents?: number;
  /** Told about each evicted session (the console prints one line for each). */
  readonly onEvict?: (evicted: EvictedSession) => void;
  /** The clock, for `received_ms`. @defaultValue Date.now */
  readonly now?: () => number;
  /**
   * How many (session, id) pairs the store remembers to skip duplicates, over all sessions, the
   * oldest forgotten first: a duplicate older than that is stored again. 0 turns the check off.
   * @defaultValue 200,000
   */
  readonly dedupeWindow?: number;
}

export interface EvictedSession {
  readonly id: string;
  readonly events: number;
  readonly bytes: number;
}

/** What one `append` did. */
export interface AppendResult {
  /** Events stored. */
  readonly stored: number;
  /** Events skipped because an event with the same session and id was stored already. */
  readonly duplicates: number;
}

/** A page of a session's events, in session order, after a filter. */
export interface EventPage {
  /** Events that pass the filter. */
  readonly total: number;
  readonly offset: number;
  readonly events: readonly ConsoleEvent[];
}

/** Events over time, per severity, for the timeline chart. */
export interface Histogram {
  readonly start_ms: number;
  readonly bucket_ms: number;
  /** One count per bucket and severity; every array has the same length. */
  readonly counts: Readonly<Record<ConsoleSeverity, readonly number[]>>;
}

/** A trace as the session's trace list shows it. */
export interface TraceSummary {
  readonly trace_id: string;
  /** The root span's name (the earliest span without a parent in this trace). */
  readonly name: string;
  readonly start_ms: number;
  readonly duration_ms: number;
  readonly spans: number;
  readonly errors: number;
}

/** Store-wide figures. */
export interface StoreInfo {
  readonly dir: string;
  readonly max_bytes: number;
  readonly bytes: number;
  readonly sessions: number;
  readonly events: number;
  /** Sessions deleted to stay under `max_bytes` since the store opened. */
  readonly evicted_sessions: number;
  readonly evicted_events: number;
  /** What opening the folder found and repaired (the store at hand fills it). */
  readonly recovery?: RecoveryInfo;
  /** What the store holds in memory now (the store at hand fills it). */
  readonly memory?: StoreMemory;
}

/** What opening a store folder found: how the index was, what had to be read and what was repaired. */
export interface RecoveryInfo {
  /** `missing`: no index (a first start); `corrupt`: unreadable, so every file was read whole. */
  readonly index: 'ok' | 'missing' | 'corrupt';
  /** Session files read whole or from where the index left them. */
  readonly scanned_files: number;
  /** Torn last lines (a crash mid-write) cut off, and their bytes. */
  readonly torn_lines: number;
  readonly torn_bytes: number;
  /** Lines that are not events (left in place, skipped by every read). */
  readonly unreadable_lines: number;
  /** Index entries dropped: their file was gone, or the entry was malformed. */
  readonly dropped_entries: number;
  /** Files removed because no event in them could be read. */
  readonly removed_files: number;
}

/** The store's memory that grows with what it holds (both bounded by options). */
export interface StoreMemory {
  /** Rows in the row indexes held now (≤ `maxIndexedEvents`, unless one session alone has more). */
  readonly indexed_events: number;
  readonly indexed_sessions: number;
  /** Bytes of those row indexes' arrays. */
  readonly row_index_bytes: number;
  /** (session, id) pairs remembered to skip duplicates (≤ `dedupeWindow`). */
  readonly remembered_ids: number;
}

/**
 * The console's store: one append-only file per session plus an index, on disk so that it survives
 * a restart. All reads are consistent with every `append` that resolved before them.
 */
export interface ConsoleStore {
  /** Stores events of one session (creating the session on its first event); `client` fills the session's client facts the first time they are known. */
  append(session: string, client: SessionClient, events: readonly IncomingEvent[]): Promise<AppendResult>;
  /** Sessions, the most recently active first. */
  sessions(): readonly SessionSummary[];
  session(id: string): SessionSummary | undefined;
  /** A page of a session's events that pass `filter`; `undefined` for an unknown session. */
  events(id: string, filter: EventFilter, offset: number, limit: number): Promise<EventPage | undefined>;
  /** One event by its position. */
  event(id: string, seq: number): Promise<ConsoleEvent | undefined>;
  /** A session's events that pass `filter`, counted per severity in `buckets` equal slices of its time span. */
  histogram(id: string, filter: EventFilter, buckets: number): Promise<Histogram | undefined>;
  /** Names in a session and how often each occurs, most frequent first. */
  names(id: string): Promise<readonly { readonly name: string; readonly count: number }[] | undefined>;
  /** The session's traces, earliest first. */
  traces(id: string): Promise<readonly TraceSummary[] | undefined>;
  info(): StoreInfo;
  /** Tells `listener` about each session whose summary changed (after each append); returns the unsubscribe. */
  onChange(listener: (session: SessionSummary) => void): () => void;
  /** Waits for pending writes and closes the files. */
  close(): Promise<void>;
}

/** The store's size bound unless told otherwise: 256 MiB. */
export const DEFAULT_MAX_STORE_BYTES = 256 * 1024 * 1024;
