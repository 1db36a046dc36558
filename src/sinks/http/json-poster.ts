import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { KyInstance } from 'ky';
import { nodeScheduler, nodeVersion } from '../../platform/node.js';
import { VERSION } from '../../version.js';
import { shutDown, unexpected } from '../results.js';
import type { ExportResult } from '../sink.js';
import { classifyThrown, httpError, type ResponseClassifier } from './classify-response.js';
import { createKyTransport } from './ky-transport.js';
import { createNodeTransport } from './node-transport.js';
import { postFollowingRedirect, type RedirectedAnswer } from './redirect.js';
import { classifyTinkerResponse } from './tinker-classifier.js';
import type { HttpTransport } from './transport.js';

const gzip = promisify(gzipCallback);

/** Request body compression of an HTTP sink. */
export type Compression = 'none' | 'gzip';

/** Options every HTTP sink shares. */
export interface JsonPosterOptions {
  /** The sink's name, for errors. */
  readonly name: string;
  /** How long one request may take until the response headers arrive, ms (the sink's checked `timeoutMs`). */
  readonly timeoutMs: number;
  /** Sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Strings that must never appear in an error (API keys, secrets): replaced by `[redacted]`. */
  readonly secrets?: readonly (string | undefined)[];
  /** `'gzip'` compresses request bodies (off the main thread, in libuv's pool); anything else sends them as they are. */
  readonly compression?: Compression;
  /** Epoch ms, for Retry-After dates. */
  readonly now?: () => number;
  /** The user's own ky instance: requests go through it (its hooks, its fetch) instead of the lean `node:http` transport. */
  readonly ky?: KyInstance;
  /**
   * The protocol's rule for answers: which statuses are delivered, retried or given up
   * (`classifyOtlpResponse` for OTLP/HTTP). Redirects never reach it unless followed.
   * @defaultValue Tinker's, `classifyTinkerResponse`
   */
  readonly classify?: ResponseClassifier;
}

/** One answer: the classified result, and the raw status and body for sinks that read them (207, partial success). */
export interface PostOutcome {
  readonly result: ExportResult;
  readonly status?: number;
  readonly bodyText?: string;
}

// What is kept of an answer: enough for any error message or partial-success report; a hostile backend cannot fill memory.
const MAX_BODY_BYTES = 64 * 1024;
const REDACTED = '[redacted]';

/**
 * Each secret as a response body may echo it: as given, JSON-escaped (`\"`, `\\`, control
 * characters; also with every non-ASCII character as `\u…`, as Python's encoder writes it), with
 * escaped slashes (`\/`, PHP and some Java encoders) and URL-encoded. Longest first, so a longer
 * form is replaced before a shorter one inside it.
 */
function secretForms(secrets: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length === 0) continue;
    const json = JSON.stringify(secret).slice(1, -1);
    const ascii = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    for (const form of [secret, json, ascii, json.replaceAll('/', '\\/'), encodeURIComponent(secret)]) forms.add(form);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * The HTTP part every HTTP sink shares: a transport (the lean keep-alive `node:http` one, or the
 * user's ky instance; decision 0020), optional gzip, a bounded read of the answer, the redirect
 * rule (a 307 or 308 to the same origin is followed once, any other redirect is a failure:
 * redirect.ts), and classification into an {@link ExportResult} by the sink's protocol
 * (`classify`), with every secret removed from what it says. It never retries (the reporter owns
 * retry) and never rejects.
 *
 * @example
 * ```ts
 * const poster = new JsonPoster({ name: 'otlp', timeoutMs: 5000, headers: { authorization: `Bearer ${token}` }, secrets: [token] });
 * const { result } = await poster.post('http://127.0.0.1:4318/v1/logs', JSON.stringify(body), signal);
 * poster.close();
 * ```
 */
export class JsonPoster {
  readonly #name: string;
  readonly #transport: HttpTransport;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #secrets: readonly string[];
  readonly #gzip: boolean;
  readonly #now: () => number;
  readonly #classify: ResponseClassifier;
  #shutdown: Promise<void> | undefined;

  constructor(options: JsonPosterOptions) {
    this.#name = options.name;
    this.#secrets = secretForms(options.secrets ?? []);
    this.#gzip = options.compression === 'gzip';
    this.#now = options.now ?? (() => nodeScheduler.now());
    this.#classify = options.classify ?? classifyTinkerResponse;
    const bounds = { timeoutMs: options.timeoutMs, maxBodyBytes: MAX_BODY_BYTES };
    this.#transport = options.ky === undefined ? createNodeTransport(bounds) : createKyTransport(options.ky, bounds);
    this.#headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      // Also how instrumentFetch/instrumentKy recognise the reporter's own requests (no feedback loop).
      'user-agent': `rxtel/${VERSION} node/${nodeVersion}`,
      ...(this.#gzip ? { 'content-encoding': 'gzip' } : {}),
      ...lowerCaseNames(options.headers ?? {}),
    };
  }

  /**
   * POSTs `json` to `url`; resolves to the classified outcome, never rejects. A 307 or 308 to the
   * same origin is followed once with the same body and headers, and its answer classified; any
   * other redirect is a failure whose message says so (`ERR_RXTEL_HTTP`, the 3xx status).
   */
  async post(url: string, json: string, signal: AbortSignal, headers?: Readonly<Record<string, string>>): Promise<PostOutcome> {
    let sent: RedirectedAnswer;
    try {
      const body = this.#gzip ? await gzip(json) : json;
      sent = await postFollowingRedirect(this.#transport, { url, body, signal, headers: headers === undefined ? this.#headers : { ...this.#headers, ...lowerCaseNames(headers) } });
    } catch (error) {
      return { result: classifyThrown(this.#name, error, signal) };
    }
    const { status } = sent.answer;
    const bodyText = sent.answer.bodyText === '' ? '' : this.redact(sent.answer.bodyText);
    // A URL from a Location header is the backend's text: it goes through the redaction too.
    const target = sent.url === url ? url : this.redact(sent.url);
    const result: ExportResult =
      sent.notFollowed === undefined
        ? this.#classify(this.#name, status, sent.answer.headers, bodyText, this.#now(), target)
        : { status: 'failure', error: httpError(this.#name, status, bodyText, target, this.redact(sent.notFollowed)) };
    return { result, status, bodyText };
  }

  /** `text` without any of the secrets. */
  redact(text: string): string {
    let clean = text;
    for (const secret of this.#secrets) clean = clean.split(secret).join(REDACTED);
    return clean;
  }

  /**
   * Runs one export of the sink: refused without a request once shut down, and a bug inside
   * `send` becomes a retryable result (the reporter tries again within its bounds), never a rejection.
   */
  async guard(send: () => Promise<ExportResult>): Promise<ExportResult> {
    if (this.#shutdown !== undefined) return shutDown(this.#name);
    try {
      return await send();
    } catch {
      return unexpected(this.#name);
    }
  }

  /**
   * Refuses further exports and closes the pooled keep-alive sockets, so after stop() nothing of
   * the reporter stays open. Idempotent: every call returns the same promise.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= Promise.resolve().then(() => this.close());
    return this.#shutdown;
  }

  /** Closes pooled keep-alive sockets (the default transport's; a user's ky instance is the user's). */
  close(): void {
    this.#transport.close();
  }
}

/** Header names in lower case, so that a per-request header replaces a default one whatever its spelling. */
function lowerCaseNames(headers: Readonly<Record<string, string>>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return lower;
}

