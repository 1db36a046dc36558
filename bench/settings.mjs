/**
 * Everything the bench is parameterised by, in one place, and written into latest.json.
 *
 * Client settings are generic; each adapter in ./clients/ maps them onto its own options (and
 * says where it cannot, e.g. posthog-node and Segment tie their batch size to `flushAt`).
 * opentelemetry-defaults takes none of them (only `countDrops`): it is OTel at its own defaults.
 */

/** @typedef {'ingest' | 'e2e' | 'outage' | 'drain' | 'hostile'} Scenario */

/**
 * @typedef {object} ClientSettings
 * @property {number} batchSize      events per request at most
 * @property {number} flushAt        send as soon as this many events wait (where the client allows it)
 * @property {number} flushIntervalMs
 * @property {number | undefined} queueSize  the client's queue bound; undefined = the client's default
 * @property {number} maxRetries     retries per batch where configurable
 * @property {number} httpTimeoutMs  per-request timeout
 * @property {boolean} countDrops    the bench needs the client's own drop counts (outage only): turns on
 *   what a client's users would not run by default to get them (OpenTelemetry's selfObsMeterProvider)
 */

/** Which clients run in which scenario. */
export const MATRIX = {
  ingest: ['rxtel', 'rxtel-spool', 'opentelemetry', 'opentelemetry-defaults', 'posthog', 'segment', 'array'],
  e2e: ['rxtel', 'rxtel-spool', 'opentelemetry', 'opentelemetry-defaults', 'posthog', 'segment', 'fetch-floor', 'ky-floor', 'poster-floor', 'http-floor'],
  outage: ['rxtel', 'rxtel-spool', 'opentelemetry', 'posthog', 'segment'],
  drain: ['rxtel', 'rxtel-spool', 'opentelemetry', 'opentelemetry-defaults', 'posthog', 'segment'],
  // rxtel alone, every option at its default: the worst single log() over hostile shapes.
  hostile: ['rxtel-defaults'],
};

/** Event counts and time budgets (ms). */
export const SIZES = {
  full: {
    ingest: { events: 200_000 },
    e2e: { events: 200_000, capMs: 60_000 },
    outage: { events: 100_000, extraMs: 5_000, recoveryCapMs: 30_000 },
    drain: { events: 100_000, capMs: 60_000 },
    hostile: { calls: 200 },
  },
  quick: {
    ingest: { events: 50_000 },
    e2e: { events: 50_000, capMs: 60_000 },
    outage: { events: 20_000, extraMs: 2_000, recoveryCapMs: 10_000 },
    drain: { events: 20_000, capMs: 60_000 },
    hostile: { calls: 20 },
  },
};

/** Hard limit for one child (one client × one scenario). */
export const CHILD_TIMEOUT_MS = 120_000;

const common = { batchSize: 100, flushAt: 100, flushIntervalMs: 1_000, maxRetries: 10, httpTimeoutMs: 5_000, countDrops: false };

/**
 * @param {Scenario} scenario
 * @param {string} client
 * @param {{ equalQueues?: boolean }} [options] `equalQueues`: outage with a 10,000 bound for every client that has one
 * @returns {ClientSettings}
 */
export function settingsFor(scenario, client, options = {}) {
  switch (scenario) {
    case 'ingest':
    case 'e2e':
      // Large enough that nobody drops by design: dropping is cheaper than queueing (opentelemetry-defaults keeps its 2048).
      return { ...common, queueSize: 1_000_000 };
    case 'outage':
      // Each client's default bound: OTel 2048, posthog-node 10,000, Segment none, rxtel 10,000 (its default).
      return { ...common, queueSize: client === 'rxtel' || options.equalQueues ? 10_000 : undefined, countDrops: true };
    case 'hostile':
      // Not used: the hostile scenario's client takes every option at its default.
      return { ...common, queueSize: undefined };
    case 'drain':
      // Queue everything: no timer, and no size trigger where the client separates it from the batch size.
      return { ...common, flushAt: 1_000_000, flushIntervalMs: 600_000, queueSize: 1_000_000 };
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

/** The same small, realistic event for every client. */
export const EVENT_NAME = 'user.action';
/** A fresh object per call, as an application would build it. */
export const eventProperties = () => ({ button: 'submit', page: '/checkout', duration_ms: 123, ok: true, user_id: 'u_42' });
