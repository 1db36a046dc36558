import { hostPort } from './host-port.js';

/**
 * Why a server (`rxtel receive`, `rxtel console`) could not listen, in one line a user can act on;
 * `undefined` for anything but a system error (a bug, shown with its stack by the caller).
 *
 * @example
 * ```ts
 * listenFailure(Object.assign(new Error(), { code: 'EADDRINUSE' }), '127.0.0.1', 4318);
 * // '127.0.0.1:4318 is already in use (EADDRINUSE): stop what listens there, or pick another --port (0 picks a free one)'
 * ```
 */
export function listenFailure(error: unknown, host: string, port: number): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string') return undefined;
  const address = hostPort(host, port);
  switch (code) {
    case 'EADDRINUSE':
      return `${address} is already in use (EADDRINUSE): stop what listens there, or pick another --port (0 picks a free one)`;
    case 'EACCES':
      return `no permission to listen on ${address} (EACCES): pick a --port from 1024 up`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine (EADDRNOTAVAIL): try --host 127.0.0.1`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve --host ${host} (${code})`;
    default:
      return `cannot listen on ${address} (${code})`;
  }
}

