import type { ServerResponse } from 'node:http';

/**
 * Answers `status` with `body` as JSON (UTF-8), plus `headers`.
 *
 * @example
 * ```ts
 * sendJson(response, 404, { error: 'no such session' }, SECURITY_HEADERS);
 * ```
 */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}
