import type { BeforeRequestHook } from 'ky';
import { ConfigError } from '../errors/config-error.js';
import { headerValue, isHeaderName } from './http/header-value.js';

/**
 * Helicone observes LLM calls by headers on the LLM request itself (sent through its gateway or
 * proxy), so it is not a `Sink`: these helpers build the headers and a ky hook that adds them.
 */

/**
 * Options of {@link heliconeHeaders} and {@link heliconeKyHooks}.
 *
 * @example
 * ```ts
 * const options: HeliconeOptions = { apiKey: 'sk-helicone-…', sessionId, sessionName: 'Course Plan', sessionPath: '/plan', properties: { Environment: 'prod' } };
 * ```
 */
export interface HeliconeOptions {
  /** The Helicone API key, sent as `Helicone-Auth: Bearer <apiKey>`. Never appears in an error. */
  readonly apiKey: string;
  /** `Helicone-Session-Id`: groups requests into a session (a UUID, for example the reporter's session id). */
  readonly sessionId?: string;
  /** `Helicone-Session-Name`: the session's name. Needs `sessionId`. */
  readonly sessionName?: string;
  /** `Helicone-Session-Path`: where the request sits in the session's tree, such as `/plan/step-1`. Needs `sessionId`. */
  readonly sessionPath?: string;
  /** `Helicone-User-Id`: the user the request is made for. */
  readonly userId?: string;
  /** Custom properties: `{ Environment: 'prod' }` is sent as `Helicone-Property-Environment: prod`. */
  readonly properties?: Readonly<Record<string, string>>;
}

/** What `ky.extend({ hooks })` takes: one `beforeRequest` hook. */
export interface HeliconeKyHooks {
  readonly beforeRequest: BeforeRequestHook[];
}

/**
 * The Helicone headers for an LLM request, values trimmed. Throws a {@link ConfigError} naming the
 * option when the API key is missing or a value could not be sent as a header (CR, LF, NUL, other
 * control characters, characters beyond U+00FF: encode those, for example with encodeURIComponent).
 *
 * @example
 * ```ts
 * const openai = new OpenAI({
 *   baseURL: 'https://oai.helicone.ai/v1',
 *   defaultHeaders: heliconeHeaders({ apiKey: process.env.HELICONE_API_KEY!, sessionId: reporter.sessionId, userId: 'u-42' }),
 * });
 * ```
 */
export function heliconeHeaders(options: HeliconeOptions): Readonly<Record<string, string>> {
  const apiKey = headerValue('apiKey', options.apiKey, { source: 'option `apiKey` (the Helicone API key)' });
  const headers: Record<string, string> = { 'Helicone-Auth': `Bearer ${apiKey}` };
  const optional: readonly [keyof HeliconeOptions, string][] = [
    ['sessionId', 'Helicone-Session-Id'],
    ['sessionName', 'Helicone-Session-Name'],
    ['sessionPath', 'Helicone-Session-Path'],
    ['userId', 'Helicone-User-Id'],
  ];
  for (const [option, header] of optional) {
    const raw = options[option];
    if (raw === undefined) continue;
    // Blank means unset, as '' always did: an empty Helicone-Session-Id would group nothing.
    const checked = headerValue(option, raw, { allowEmpty: true });
    if (checked !== '') headers[header] = checked;
  }
  if (headers['Helicone-Session-Id'] === undefined && (headers['Helicone-Session-Name'] !== undefined || headers['Helicone-Session-Path'] !== undefined)) {
    throw new ConfigError('sessionId', 'Invalid option `sessionId`: `sessionName` and `sessionPath` need a `sessionId`');
  }
  const properties: unknown = options.properties;
  if (properties !== undefined) {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      throw new ConfigError('properties', 'Invalid option `properties`: expected an object of string values');
    }
    for (const [name, raw] of Object.entries(properties)) {
      if (!isHeaderName(name)) {
        throw new ConfigError(`properties.${name}`, `Invalid option \`properties\`: \`${name}\` cannot be part of a header name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
      }
      headers[`Helicone-Property-${name}`] = headerValue(`properties.${name}`, raw, { allowEmpty: true });
    }
  }
  return Object.freeze(headers);
}

/**
 * ky hooks that add the Helicone headers to every request, leaving alone any header the caller
 * already set on it (per instance or per request). The options are checked here, once.
 *
 * @example
 * ```ts
 * const llm = ky.extend({ prefixUrl: 'https://oai.helicone.ai/v1', hooks: heliconeKyHooks({ apiKey, sessionId }) });
 * await llm.post('chat/completions', { json: body, headers: { 'Helicone-Session-Path': '/retry' } });
 * ```
 */
export function heliconeKyHooks(options: HeliconeOptions): HeliconeKyHooks {
  const headers = Object.entries(heliconeHeaders(options));
  const addHeaders: BeforeRequestHook = (request) => {
    for (const [name, header] of headers) if (!request.headers.has(name)) request.headers.set(name, header);
  };
  return { beforeRequest: [addHeaders] };
}
