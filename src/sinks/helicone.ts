import type { BeforeRequestHook } from 'ky';
import { z } from 'zod';
import { NO_ECHO, parseOptionsWith } from '../schema/parse.js';
import type { Assert, Matches } from '../schema/same-type.js';
import { headerNameField, headerValueField } from './http/header-value.js';

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
  readonly properties?: Record<string, string>;
}

// Blank optional values mean unset, as '' always did: an empty Helicone-Session-Id would group nothing.
const optionalHeader = () => headerValueField({ allowEmpty: true }).optional();

/**
 * The schema of {@link HeliconeOptions}: a bad or unknown option is a `ConfigError` naming the
 * helper, the option and the value (never the API key; header values are described, not shown).
 */
export const HeliconeOptions = z
  .strictObject({
    apiKey: headerValueField(),
    sessionId: optionalHeader(),
    sessionName: optionalHeader(),
    sessionPath: optionalHeader(),
    userId: optionalHeader(),
    properties: z
      .record(headerNameField("cannot be part of a header name (letters, digits and !#$%&'*+-.^_`|~ only)"), headerValueField({ allowEmpty: true }), {
        error: 'expected an object of string values',
      })
      .optional(),
  })
  .superRefine((options, ctx) => {
    const set = (value: string | undefined) => typeof value === 'string' && value !== '';
    if (!set(options.sessionId) && (set(options.sessionName) || set(options.sessionPath))) {
      ctx.addIssue({ code: 'custom', path: ['sessionId'], message: '`sessionName` and `sessionPath` need a `sessionId`', params: NO_ECHO });
    }
  });

/** Compile-time: the documented interface and the schema take the same options (`tsc` fails when they drift). */
export type HeliconeOptionsMatchSchema = Assert<Matches<HeliconeOptions, typeof HeliconeOptions>>;

const HEADERS = [
  ['sessionId', 'Helicone-Session-Id'],
  ['sessionName', 'Helicone-Session-Name'],
  ['sessionPath', 'Helicone-Session-Path'],
  ['userId', 'Helicone-User-Id'],
] as const;

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
  return headersOf(options, 'heliconeHeaders');
}

function headersOf(input: HeliconeOptions, owner: string): Readonly<Record<string, string>> {
  const options = parseOptionsWith(HeliconeOptions, input, { owner, secrets: ['apiKey'], labels: { apiKey: 'the Helicone API key' } });
  const headers: Record<string, string> = { 'Helicone-Auth': `Bearer ${options.apiKey}` };
  for (const [option, header] of HEADERS) {
    const value = options[option];
    if (value !== undefined && value !== '') headers[header] = value;
  }
  for (const [name, value] of Object.entries(options.properties ?? {})) headers[`Helicone-Property-${name}`] = value;
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
  const headers = Object.entries(headersOf(options, 'heliconeKyHooks'));
  const addHeaders: BeforeRequestHook = (request) => {
    for (const [name, header] of headers) if (!request.headers.has(name)) request.headers.set(name, header);
  };
  return { beforeRequest: [addHeaders] };
}
