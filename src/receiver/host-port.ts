/**
 * `host:port` as a URL or a message writes it: an IPv6 address in brackets.
 *
 * @example
 * ```ts
 * hostPort('127.0.0.1', 4318); // '127.0.0.1:4318'
 * hostPort('::1', 4318);       // '[::1]:4318'
 * ```
 */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
