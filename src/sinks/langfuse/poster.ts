import type { KyInstance } from 'ky';
import { VERSION } from '../../version.js';
import type { ResponseClassifier } from '../http/classify-response.js';
import { JsonPoster, type Compression } from '../http/json-poster.js';

/** How a `ConfigError` names each key of a Langfuse sink (never its value). */
export const LANGFUSE_KEY_LABELS = { publicKey: "the Langfuse project's public key", secretKey: "the Langfuse project's secret key" };

/** What both Langfuse sinks' parsed options give their poster. */
export interface LangfusePosterOptions {
  readonly name: string;
  readonly publicKey: string;
  readonly secretKey: string;
  readonly timeoutMs: number;
  readonly compression: Compression;
  readonly now?: (() => number) | undefined;
  readonly ky?: KyInstance | undefined;
}

/** `path` under the Langfuse host `baseUrl` (the schema checked it), without a doubled slash. */
export function langfuseUrl(baseUrl: string, path: string): string {
  return `${new URL(baseUrl).href.replace(/\/+$/, '')}${path}`;
}

/**
 * The poster of a Langfuse sink: Basic auth from the key pair, the SDK headers, and every form of
 * both keys (and of the credentials) kept out of errors. `extra` adds the endpoint's own headers
 * and its protocol's classification.
 *
 * @example
 * ```ts
 * const poster = langfusePoster(parsed, { headers: { 'x-langfuse-ingestion-version': '4' }, classify: classifyOtlpResponse });
 * ```
 */
export function langfusePoster(
  options: LangfusePosterOptions,
  extra: { readonly headers?: Readonly<Record<string, string>>; readonly classify?: ResponseClassifier } = {},
): JsonPoster {
  const { publicKey, secretKey } = options;
  const credentials = Buffer.from(`${publicKey}:${secretKey}`).toString('base64');
  return new JsonPoster({
    name: options.name,
    timeoutMs: options.timeoutMs,
    headers: { authorization: `Basic ${credentials}`, ...extra.headers, 'x-langfuse-sdk-name': 'rxtel', 'x-langfuse-sdk-version': VERSION },
    secrets: [credentials, secretKey, publicKey],
    compression: options.compression,
    now: options.now,
    ky: options.ky,
    ...(extra.classify === undefined ? {} : { classify: extra.classify }),
  });
}
