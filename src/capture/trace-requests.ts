import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reporter } from '../reporter/types.js';
import { errorType } from './client-span.js';
import { parseTraceparent, parseTracestate } from './trace-context.js';

/** Options of {@link traceRequests}. */
export interface TraceRequestsOptions<Req extends IncomingMessage = IncomingMessage> {
  /**
   * The matched route template (`/users/:id`), read when the response ends, for `http.route` and the
   * span's name. By default Express's `req.baseUrl + req.route.path` when there is one.
   */
  readonly route?: (req: Req) => string | undefined;
}

// The methods of RFC 9110 and RFC 5789 (PATCH) that semantic-conventions v1.44.0 lists for `http.request.method`.
const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

/** Express's matched route, when Express ran: `req.route.path` under `req.baseUrl`. */
function expressRoute(req: IncomingMessage): string | undefined {
  const { route, baseUrl } = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: unknown };
  if (typeof route?.path !== 'string') return undefined;
  return `${typeof baseUrl === 'string' ? baseUrl : ''}${route.path}`;
}

/** `server.address`/`server.port` from the Host header (semantic conventions: the request's authority). */
function hostAttributes(host: string | undefined, encrypted: boolean): Record<string, unknown> {
  if (host === undefined || host === '') return {};
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (match === null) return {};
  const port = match[2] === undefined ? (encrypted ? 443 : 80) : Number(match[2]);
  return { 'server.address': match[1], 'server.port': port };
}

/** The request's attributes, by the HTTP server span conventions (semantic-conventions v1.44.0, `span.http.server`). */
function requestAttributes(req: IncomingMessage): Record<string, unknown> {
  const raw = req.method ?? 'GET';
  const method = KNOWN_METHODS.has(raw) ? raw : '_OTHER';
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const userAgent = req.headers['user-agent'];
  return {
    'http.request.method': method,
    ...(method === raw ? {} : { 'http.request.method_original': raw }),
    'url.path': (req.url ?? '/').split('?')[0],
    'url.scheme': encrypted ? 'https' : 'http',
    ...hostAttributes(req.headers.host, encrypted),
    ...(userAgent === undefined ? {} : { 'user_agent.original': userAgent }),
  };
}

/**
 * Wraps a `node:http` request handler so each request runs in its own context: a server span
 * (kind `server`) continuing the caller's trace from `traceparent`/`tracestate` (W3C Trace Context),
 * active for the whole handler — every event logged inside carries its `trace_id`/`span_id`, and
 * `instrumentFetch`/`instrumentKy` requests made inside are its client children. The span ends
 * when the response finishes or the connection closes, with `http.response.status_code`,
 * `http.route` and an error status for a 5xx, an aborted response or a thrown handler (whose
 * error is also logged with `logException`, then re-thrown as it was).
 *
 * @example
 * ```ts
 * http.createServer(traceRequests(reporter, (req, res) => res.end('ok'))).listen(8080);
 * http.createServer(traceRequests(reporter, expressApp));            // Express
 * http.createServer(traceRequests(reporter, koaApp.callback()));     // Koa
 * fastify({ serverFactory: (handler) => http.createServer(traceRequests(reporter, handler)) });
 * ```
 */
export function traceRequests<Req extends IncomingMessage, Res extends ServerResponse, Rest extends unknown[], R>(
  reporter: Reporter,
  handler: (req: Req, res: Res, ...rest: Rest) => R,
  options: TraceRequestsOptions<Req> = {},
): (req: Req, res: Res, ...rest: Rest) => R {
  const routeOf = options.route ?? expressRoute;
  return (req, res, ...rest) => {
    const parent = parseTraceparent(req.headers.traceparent);
    const traceState = parent === undefined ? undefined : parseTracestate(req.headers.tracestate);
    const attributes = requestAttributes(req);
    const method = attributes['http.request.method'] as string;
    const span = reporter.startSpan(method === '_OTHER' ? 'HTTP' : method, {
      kind: 'server',
      attributes,
      ...(parent === undefined ? {} : { traceId: parent.traceId, parentSpanId: parent.parentSpanId }),
      ...(traceState === undefined ? {} : { traceState }),
    });
    let thrown: unknown;
    let failed = false;
    const end = () => {
      let route: string | undefined;
      try {
        route = routeOf(req);
      } catch {
        route = undefined;
      }
      const status = res.statusCode;
      const aborted = !res.writableFinished;
      const error = failed || aborted || status >= 500;
      const errorKind = failed ? errorType(thrown) : aborted ? 'aborted' : status >= 500 ? String(status) : undefined;
      span.end({
        ...(route === undefined ? {} : { name: `${span.name} ${route}` }),
        status: error ? 'error' : 'unset',
        attributes: {
          ...(aborted && !res.headersSent ? {} : { 'http.response.status_code': status }),
          ...(route === undefined ? {} : { 'http.route': route }),
          ...(errorKind === undefined ? {} : { 'error.type': errorKind }),
        },
      });
    };
    res.once('finish', end);
    res.once('close', end);
    const record = (error: unknown) => {
      failed = true;
      thrown = error;
      span.run(() => reporter.logException(error));
    };
    return span.run(() => {
      try {
        const result = handler(req, res, ...rest);
        if (result instanceof Promise) {
          // The same rejection goes on to whoever awaited the handler (nobody, under node:http).
          return result.then(undefined, (error: unknown) => {
            record(error);
            throw error;
          }) as R;
        }
        return result;
      } catch (error) {
        record(error);
        throw error;
      }
    });
  };
}
