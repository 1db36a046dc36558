import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Whether an ingest request carries the console's `--api-key`, in any of the places the clients it
 * takes put theirs: `x-api-key: KEY` (Tinker, rxtel's TinkerHttpSink), `authorization: Bearer KEY`
 * (OTLP exporters given `OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20KEY`), or
 * `authorization: Basic base64(public:secret)` with KEY as either half (Langfuse's SDKs and sinks).
 * Compared in constant time.
 *
 * @example
 * ```ts
 * carriesKey({ 'x-api-key': 'k' }, 'k');                 // true
 * carriesKey({ authorization: 'Bearer k' }, 'k');        // true
 * carriesKey({ authorization: `Basic ${btoa('pk:k')}` }, 'k'); // true
 * ```
 */
export function carriesKey(headers: IncomingHttpHeaders, key: string): boolean {
  const given = headers['x-api-key'];
  if (typeof given === 'string' && sameText(given, key)) return true;
  const authorization = headers.authorization ?? '';
  const [scheme = '', value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return sameText(value, key);
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    return sameText(decoded.slice(0, colon), key) || sameText(decoded.slice(colon + 1), key);
  }
  return false;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether `host` (as given to `--host`) is a loopback address or name. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (LOOPBACK_NAMES.has(bare.toLowerCase())) return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/**
 * Whether a request for the UI or the JSON API names a host the console answers as: with the
 * console on loopback, only `localhost`, `127.x.x.x` and `[::1]` (with any port). This stops a web
 * page that re-points its own domain name at 127.0.0.1 (DNS rebinding) from reading what the
 * console stores. On another `--host`, any name is taken (the user asked for it and was warned).
 *
 * @example
 * ```ts
 * answersHost('localhost:4318', '127.0.0.1');      // true
 * answersHost('evil.example:4318', '127.0.0.1');  // false
 * ```
 */
export function answersHost(hostHeader: string | undefined, boundHost: string): boolean {
  if (!isLoopback(boundHost)) return true;
  if (hostHeader === undefined) return false;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0] ?? '';
  return isLoopback(name);
}
