import type { ReceivedBatch } from '../../receiver/received-batch.js';
import { SEVERITIES, type ConsoleSeverity, type IncomingEvent, type SessionClient } from '../model.js';
import { kindOfName } from './event-kind.js';
import { parseExceptionChain } from './exception-chain.js';
import { llmInfoOf } from './llm-info.js';
import { errorText, Groups, type IngestResult } from './result.js';
import { spanSeverity } from './span-info.js';
import { tinkerData, tinkerSpanOf, traceIdsOf } from './tinker-spans.js';
import { durationMs, isoMs } from './times.js';

/**
 * Tinker batches (`POST /api/v1/telemetry`, already validated: src/receiver/received-batch.ts, which
 * takes rxtel's form and the Tinker Python SDK's) as console events. docs/console.md "What each
 * protocol becomes" has the table.
 */

type ReceivedEvent = ReceivedBatch['events'][number];

/** What the request says beyond its body. */
export interface TinkerOptions {
  /** The request's `user-agent`: it tells rxtel (`rxtel/0.1.0 node/20.19.0`) from the Python SDK (`AsyncTinker/Python 0.25.0`). */
  readonly userAgent?: string | undefined;
}

// rxtel writes `${process.platform}/${process.arch}` (src/platform/node.ts); Python's
// platform.system() is capitalised (`Linux`, `Darwin`, `Windows`).
const NODE_PLATFORM = /^(?:aix|android|darwin|freebsd|haiku|linux|netbsd|openbsd|sunos|win32|cygwin)\/[a-z0-9_]+$/;

/**
 * The client of a batch: `sdk` is `rxtel <sdk_version>` for rxtel, `tinker-python <sdk_version>` for
 * the Tinker Python SDK (told apart by the user agent, else by the platform's form), else the
 * `sdk_version` as sent; `platform` as sent.
 *
 * @example
 * ```ts
 * tinkerClient({ platform: 'linux/x64', sdk_version: '0.1.0' }); // { sdk: 'rxtel 0.1.0', platform: 'linux/x64' }
 * tinkerClient({ platform: 'Linux', sdk_version: '0.25.0' });    // { sdk: 'tinker-python 0.25.0', platform: 'Linux' }
 * ```
 */
export function tinkerClient(batch: { readonly platform: string; readonly sdk_version: string }, userAgent?: string): SessionClient {
  const { platform, sdk_version: version } = batch;
  let sdk = version;
  if (userAgent?.startsWith('rxtel/') === true) sdk = `rxtel ${version}`;
  else if (userAgent !== undefined && /\/Python \S/.test(userAgent)) sdk = `tinker-python ${version}`;
  else if (NODE_PLATFORM.test(platform)) sdk = `rxtel ${version}`;
  else if (/^[A-Z][A-Za-z]+$/.test(platform)) sdk = `tinker-python ${version}`;
  return { ...(sdk === '' ? {} : { sdk }), ...(platform === '' ? {} : { platform }) };
}

/** One Tinker event as a console event (without `session`: the group adds it). */
function tinkerEvent(event: ReceivedEvent, session: string, now: number): IncomingEvent {
  const ts = isoMs(event.timestamp) ?? now;
  // The batch is validated; a caller that hands over anything else still gets one of the five.
  const severity: ConsoleSeverity = (SEVERITIES as readonly string[]).includes(event.severity) ? event.severity : 'INFO';
  const base = { id: event.event_id, session, ts, received_ms: now, severity, source: 'tinker' as const };
  switch (event.event) {
    case 'SESSION_START':
      return { ...base, kind: 'session_start', name: 'SESSION_START' };
    case 'SESSION_END': {
      const ms = durationMs(event.duration);
      return { ...base, kind: 'session_end', name: 'SESSION_END', data: { duration: event.duration, ...(ms === undefined ? {} : { duration_ms: ms }) } };
    }
    case 'UNHANDLED_EXCEPTION':
      return {
        ...base,
        kind: 'exception',
        name: event.error_type,
        message: event.error_message,
        exception: { chain: parseExceptionChain(event.traceback, { type: event.error_type, message: event.error_message }) },
      };
    case 'GENERIC_EVENT': {
      const name = event.event_name;
      const span = tinkerSpanOf(event, session, ts);
      const data = tinkerData(event, span?.kind === 'span');
      const kind = span?.kind ?? kindOfName(name);
      const ids = span === undefined ? traceIdsOf(event.event_data) : { trace_id: span.info.trace_id, span_id: span.info.span_id };
      return {
        ...base,
        ...(span === undefined ? {} : { ts: span.info.end_ms, severity: spanSeverity(severity, span.info.status), span: span.info }),
        kind,
        name: span?.name ?? name,
        ...(kind === 'span' ? { message: span?.name } : {}),
        data,
        ...ids,
        ...(kind === 'llm' ? { llm: llmInfoOf(name, event.event_data) } : {}),
      };
    }
  }
}

/**
 * A validated Tinker batch as console events, all of one session (`session_id`). Never throws: an
 * event that cannot be mapped is refused and counted.
 *
 * @example
 * ```ts
 * const checked = validateBatch(text);
 * if ('batch' in checked) {
 *   const { groups } = normaliseTinker(checked.batch, Date.now(), { userAgent: req.headers['user-agent'] });
 *   for (const { session, client, events } of groups) await store.append(session, client, events);
 * }
 * ```
 */
export function normaliseTinker(batch: ReceivedBatch, now: number, options: TinkerOptions = {}): IngestResult {
  const groups = new Groups();
  try {
    const session = batch.session_id;
    const client = tinkerClient(batch, options.userAgent);
    batch.events.forEach((event, index) => {
      try {
        groups.add(session, client, tinkerEvent(event, session, now));
      } catch (error) {
        groups.refuse(`event ${index}: ${errorText(error)}`);
      }
    });
  } catch (error) {
    return groups.result(`not a Tinker batch: ${errorText(error)}`);
  }
  return groups.result();
}
