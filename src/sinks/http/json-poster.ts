import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import ky, { type KyInstance } from 'ky';
import { nodeScheduler, nodeVersion } from '../../platform/node.js';
import { VERSION } from '../../version.js';
import { shutDown, unexpected } from '../results.js';
import type { ExportResult } from '../sink.js';
import { classifyResponse, classifyThrown } from './classify-response.js';
import { createNodeFetch, PREPARED_BODY, receivedBody, type NodeFetch, type PreparedBody } from './node-fetch.js';

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
 * The HTTP part every HTTP sink shares: ky (with `retry: 0`, the reporter owns retry) over a
 * keep-alive `node:http` fetch, optional gzip, a bounded read of the answer, and classification
 * into an {@link ExportResult} with every secret removed from what it says. Never rejects.
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
  readonly #api: KyInstance;
  readonly #fetch: NodeFetch;
  readonly #secrets: readonly string[];
  readonly #gzip: boolean;
  readonly #now: () => number;
  #shutdown: Promise<void> | undefined;

  constructor(options: JsonPosterOptions) {
    this.#name = options.name;
    this.#secrets = secretForms(options.secrets ?? []);
    this.#gzip = options.compression === 'gzip';
    this.#now = options.now ?? (() => nodeScheduler.now());
    this.#fetch = createNodeFetch({ maxBodyBytes: MAX_BODY_BYTES });
    this.#api = ky.create({
      retry: 0,
      timeout: options.timeoutMs,
      throwHttpErrors: false,
      fetch: this.#fetch,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': `rxtel/${VERSION} node/${nodeVersion}`,
        ...(this.#gzip ? { 'content-encoding': 'gzip' } : {}),
        ...options.headers,
      },
    });
  }

  /** POSTs `json` to `url`; resolves to the classified outcome, never rejects. */
  async post(url: string, json: string, signal: AbortSignal, headers?: Readonly<Record<string, string>>): Promise<PostOutcome> {
    let response: Response;
    try {
      const body = this.#gzip ? await gzip(json) : json;
      const prepared: PreparedBody = { [PREPARED_BODY]: body };
      response = await this.#api.post(url, { ...prepared, signal, ...(headers === undefined ? {} : { headers }) });
    } catch (error) {
      return { result: classifyThrown(this.#name, error, signal) };
    }
    const bodyText = this.redact(await readBodyText(response));
    const path = new URL(url).pathname;
    return { result: classifyResponse(this.#name, response.status, response.headers, bodyText, this.#now(), path), status: response.status, bodyText };
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

  /** Closes pooled keep-alive sockets. */
  close(): void {
    this.#fetch.close();
  }
}

/** The body as text ('' when it cannot be read): our fetch's bytes as they are, or any other Response read in full. */
async function readBodyText(response: Response): Promise<string> {
  const received = receivedBody(response);
  if (received !== undefined) return received.toString('utf8');
  return response.text().catch(() => '');
}
