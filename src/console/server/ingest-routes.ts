import type { IncomingMessage, ServerResponse } from 'node:http';
import { TELEMETRY_PATH } from '../../events/names.js';
import { ACCEPTED_ENCODINGS, inflateBody } from '../../receiver/decode-body.js';
import { readBody } from '../../receiver/read-body.js';
import { validateBatch } from '../../receiver/validate.js';
import {
  decodeOtlpLogsProtobuf,
  decodeOtlpTracesProtobuf,
  normaliseLangfuseIngestion,
  normaliseOtlpLogs,
  normaliseOtlpTraces,
  normaliseTinker,
  type IngestResult,
  type LangfuseNormalised,
} from '../ingest/index.js';
import type { ConsoleStore } from '../store-api.js';
import { isProtobuf, PROTOBUF_CONTENT_TYPE, protobufExportResponse, protobufStatus } from './otlp-protobuf-answers.js';
import type { TraceSessions } from './trace-sessions.js';

/** The protocols the console takes, by the name `/api/console/info` lists them under. */
export type IngestProtocol = 'tinker' | 'otlp_logs' | 'otlp_traces' | 'langfuse_ingestion' | 'langfuse_otlp';

/** One ingest path. */
export interface IngestRoute {
  readonly protocol: IngestProtocol;
}

/** The ingest paths, each the path its clients post to. */
export const INGEST_ROUTES: ReadonlyMap<string, IngestRoute> = new Map<string, IngestRoute>([
  [TELEMETRY_PATH, { protocol: 'tinker' }],
  ['/v1/logs', { protocol: 'otlp_logs' }],
  ['/v1/traces', { protocol: 'otlp_traces' }],
  ['/api/public/ingestion', { protocol: 'langfuse_ingestion' }],
  ['/api/public/otel/v1/traces', { protocol: 'langfuse_otlp' }],
]);

/** What one ingest request did (for the CLI's lines and the tests). */
export interface IngestOutcome {
  readonly protocol: IngestProtocol;
  readonly status: number;
  readonly stored: number;
  readonly duplicates: number;
  /** Items the protocol's normaliser refused (OTLP records, Langfuse items). */
  readonly rejected: number;
  /** Sessions the request wrote to. */
  readonly sessions: readonly string[];
  /** Why it was refused, or its first rejected item, in one line. */
  readonly error?: string;
}

export interface IngestContext {
  readonly store: ConsoleStore;
  /** Which session each Langfuse trace went to: a trace-create comes once, its observations in later batches. */
  readonly traceSessions: TraceSessions;
  readonly maxBodyBytes: number;
  /** Headers on every answer (CORS). */
  readonly headers: Readonly<Record<string, string>>;
  /** @defaultValue Date.now */
  readonly now?: () => number;
}

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

const isOtlp = (protocol: IngestProtocol): boolean => protocol === 'otlp_logs' || protocol === 'otlp_traces' || protocol === 'langfuse_otlp';

/** `google.rpc.Code` of an OTLP refusal: RESOURCE_EXHAUSTED for a body over the limit, UNAUTHENTICATED without the key, else INVALID_ARGUMENT. */
const rpcCode = (status: number): number => (status === 413 ? 8 : status === 401 ? 16 : 3);

/**
 * Whether a request to `route` is OTLP/HTTP in the binary protobuf encoding (and so is answered in
 * protobuf: opentelemetry-proto v1.11.0 `docs/specification.md`, "OTLP/HTTP Response").
 */
export function sendsProtobuf(route: IngestRoute, request: IncomingMessage): boolean {
  return isOtlp(route.protocol) && isProtobuf(request.headers['content-type']);
}

/**
 * Answers 401 to an ingest request without the console's key: a protobuf `google.rpc.Status` to
 * an OTLP protobuf request, else `{ error }`.
 *
 * @example
 * ```ts
 * if (!carriesKey(request.headers, key)) return unauthorised(route, request, response, CORS);
 * ```
 */
export function unauthorised(route: IngestRoute, request: IncomingMessage, response: ServerResponse, headers: Readonly<Record<string, string>>): void {
  const error = 'missing or wrong API key (x-api-key, Authorization: Bearer, or Basic auth)';
  const protobuf = sendsProtobuf(route, request);
  response.writeHead(401, { 'content-type': protobuf ? PROTOBUF_CONTENT_TYPE : 'application/json; charset=utf-8', ...headers });
  response.end(protobuf ? protobufStatus(rpcCode(401), error) : JSON.stringify({ error }));
}

/**
 * Reads, checks, normalises and stores one ingest request, and answers it as that protocol's
 * server would: Tinker 200 `{"status":"accepted"}` (400/422 as the Tinker server); OTLP in the
 * encoding it came in (`application/x-protobuf` or `application/protobuf` is binary protobuf,
 * anything else JSON), 200 with a `partialSuccess` when records were refused, 400 with a
 * `google.rpc.Status` for a body that cannot be decoded, 415 for another protobuf media type;
 * Langfuse 207 with `successes` and `errors` per item. Everywhere: 413 for a body over the limit as
 * sent or gunzipped, 415 for a content coding other than gzip.
 *
 * @example
 * ```ts
 * const outcome = await ingest(INGEST_ROUTES.get('/v1/logs')!, request, response, { store, maxBodyBytes, headers: {} });
 * ```
 */
export async function ingest(route: IngestRoute, request: IncomingMessage, response: ServerResponse, context: IngestContext): Promise<IngestOutcome> {
  const { protocol } = route;
  const protobuf = sendsProtobuf(route, request);
  /** Answers with `body`: JSON, or the bytes of a protobuf message. */
  const answer = (status: number, body: object, outcome: Partial<IngestOutcome> = {}, headers: Readonly<Record<string, string>> = {}): IngestOutcome => {
    const binary = Buffer.isBuffer(body);
    response.writeHead(status, { 'content-type': binary ? PROTOBUF_CONTENT_TYPE : 'application/json; charset=utf-8', ...context.headers, ...headers });
    response.end(binary ? body : JSON.stringify(body));
    return { protocol, status, stored: 0, duplicates: 0, rejected: 0, sessions: [], ...outcome };
  };
  const refuse = (status: number, error: string, headers?: Readonly<Record<string, string>>): IngestOutcome => {
    const body = protobuf ? protobufStatus(rpcCode(status), error) : isOtlp(protocol) ? { code: rpcCode(status), message: error } : protocol === 'langfuse_ingestion' ? { message: error, error } : { error };
    return answer(status, body, { error }, headers);
  };

  const contentType = request.headers['content-type'] ?? '';
  if (isOtlp(protocol) && !protobuf && contentType.toLowerCase().includes('protobuf')) {
    request.resume();
    return refuse(415, `unsupported content-type ${contentType.slice(0, 100)}: OTLP/HTTP is application/x-protobuf or application/json`);
  }
  const raw = await readBody(request, context.maxBodyBytes);
  const body = 'tooLarge' in raw ? raw : await inflateBody(request.headers['content-encoding'], raw.bytes, context.maxBodyBytes);
  if ('tooLarge' in body) return refuse(413, `payload too large (limit ${context.maxBodyBytes} bytes, as sent and decoded)`);
  if ('unsupported' in body) return refuse(415, `unsupported content-encoding: ${body.unsupported} (accepted: ${ACCEPTED_ENCODINGS}, identity)`, { 'accept-encoding': ACCEPTED_ENCODINGS });
  if ('corrupt' in body) return refuse(400, `invalid gzip body: ${body.corrupt}`);
  const now = (context.now ?? Date.now)();

  let normalised: IngestResult;
  let langfuse: LangfuseNormalised | undefined;
  if (protocol === 'tinker') {
    const validated = validateBatch(body.bytes.toString('utf8'));
    if ('status' in validated) {
      const { status, ...refusal } = validated;
      return answer(status, status === 422 ? { detail: 'Validation Error', ...refusal } : refusal, { error: refusal.error });
    }
    normalised = normaliseTinker(validated.batch, now, { userAgent: request.headers['user-agent'] });
  } else {
    let json: unknown;
    if (protobuf) {
      const decoded = protocol === 'otlp_logs' ? decodeOtlpLogsProtobuf(body.bytes) : decodeOtlpTracesProtobuf(body.bytes);
      if ('invalid' in decoded) return refuse(400, decoded.invalid);
      json = decoded.json;
    } else {
      try {
        json = JSON.parse(body.bytes.toString('utf8'));
      } catch (error) {
        return refuse(400, `invalid JSON: ${(error as Error).message}`);
      }
    }
    if (protocol === 'langfuse_ingestion') {
      langfuse = normaliseLangfuseIngestion(json, now, {
        sdkName: header(request.headers['x-langfuse-sdk-name']),
        sdkVersion: header(request.headers['x-langfuse-sdk-version']),
        sessionOfTrace: (trace) => context.traceSessions.sessionOf(trace),
      });
      if (langfuse.invalid !== undefined) return answer(400, { message: 'Invalid request data', errors: [langfuse.invalid] }, { error: langfuse.invalid });
      context.traceSessions.remember(langfuse.traceSessions);
      normalised = langfuse;
    } else {
      normalised = protocol === 'otlp_logs' ? normaliseOtlpLogs(json, now) : normaliseOtlpTraces(json, now);
    }
  }
  if (normalised.invalid !== undefined) return refuse(400, normalised.invalid);

  let stored = 0;
  let duplicates = 0;
  for (const group of normalised.groups) {
    const result = await context.store.append(group.session, group.client, group.events);
    stored += result.stored;
    duplicates += result.duplicates;
  }
  const outcome: Partial<IngestOutcome> = {
    stored,
    duplicates,
    rejected: normalised.rejected,
    sessions: normalised.groups.map((group) => group.session),
    ...(normalised.reason === undefined ? {} : { error: normalised.reason }),
  };
  if (protocol === 'tinker') return answer(200, { status: 'accepted' }, outcome);
  if (langfuse !== undefined) return answer(207, langfuse.itemResults, outcome);
  const errorMessage = normalised.reason ?? 'records refused';
  if (protobuf) return answer(200, protobufExportResponse(normalised.rejected, errorMessage), outcome);
  if (normalised.rejected === 0) return answer(200, {}, outcome);
  const field = protocol === 'otlp_logs' ? 'rejectedLogRecords' : 'rejectedSpans';
  return answer(200, { partialSuccess: { [field]: normalised.rejected, errorMessage } }, outcome);
}
