import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TELEMETRY_PATH } from '../events/names.js';
import { cliOptionsHelp, isIntegerIn, readCommandLine, type CliIo, type CliOption } from '../receiver/cli-options.js';
import { listenFailure } from '../receiver/listen-failure.js';
import { VERSION } from '../version.js';
import { DEFAULT_CONSOLE_MAX_BODY_BYTES, DEFAULT_CONSOLE_PORT, startConsoleServer, type ConsoleServer } from './server/console-server.js';
import { isLoopback } from './server/request-guards.js';
import { FolderLockedError } from './store/folder-lock.js';
import { DEFAULT_MAX_STORE_BYTES } from './store-api.js';

/** Where `rxtel console` writes its lines. */
export type ConsoleIo = CliIo;

const DEFAULT_DATA = join(homedir(), '.rxtel', 'console');
const MiB = 1024 * 1024;

const CONSOLE_OPTIONS: readonly CliOption[] = [
  {
    name: 'port',
    short: 'p',
    value: 'PORT',
    description: `TCP port for ingest, the UI and the API; 0 picks a free one (default ${DEFAULT_CONSOLE_PORT}, OTLP/HTTP's)`,
    expects: 'an integer from 0 to 65535',
    accepts: isIntegerIn(0, 65535),
  },
  { name: 'host', value: 'HOST', description: 'address to listen on (default 127.0.0.1; anything else exposes what the console stores, with a warning)' },
  { name: 'data', short: 'd', value: 'DIR', description: `folder of the store, kept across restarts (default ${DEFAULT_DATA}, or $RXTEL_CONSOLE_DATA)` },
  {
    name: 'max-mb',
    value: 'MB',
    description: `disk the store may use; past it the oldest sessions are deleted whole (default ${DEFAULT_MAX_STORE_BYTES / MiB})`,
    expects: 'an integer from 1 to 1048576',
    accepts: isIntegerIn(1, 1_048_576),
  },
  { name: 'api-key', value: 'KEY', description: 'refuse ingest requests (401) without this key (x-api-key, Bearer or Basic auth)' },
  { name: 'open', description: 'open the UI in the default browser' },
  { name: 'help', short: 'h', description: 'show this help' },
  { name: 'version', short: 'v', description: 'print the rxtel version' },
];

export const CONSOLE_USAGE = `usage: rxtel console [options]

Runs the local console until SIGINT or SIGTERM: one port takes Tinker batches (POST ${TELEMETRY_PATH}),
OTLP/HTTP protobuf or JSON (POST /v1/logs, /v1/traces), Langfuse (POST /api/public/ingestion,
/api/public/otel/v1/traces), stores them on disk and shows them in a web UI on the same port.
\`rxtel receive\` is the headless receiver for tests.

options:
${cliOptionsHelp(CONSOLE_OPTIONS)}`;

const USAGE_LINE = 'usage: rxtel console [options] (rxtel console --help lists them)';

/** Opens `url` in the default browser; a failure is one line, never an exit. */
function openBrowser(url: string, io: ConsoleIo): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore', env: process.env });
    child.on('error', (error) => io.stderr(`rxtel console: could not open a browser (${error.message}); open ${url} yourself`));
    child.unref();
  } catch (error) {
    io.stderr(`rxtel console: could not open a browser (${(error as Error).message}); open ${url} yourself`);
  }
}

/** The lines that say where everything is. */
function banner(console: ConsoleServer, dir: string, maxBytes: number, apiKey: boolean): string[] {
  const url = console.url;
  return [
    `rxtel console ${VERSION} on ${url}`,
    `  UI        ${url}/`,
    `  rxtel     createReporter({ endpoint: '${url}' })   POST ${TELEMETRY_PATH}`,
    `  OTLP      OTEL_EXPORTER_OTLP_ENDPOINT=${url}   POST /v1/logs, /v1/traces (http/protobuf or http/json)`,
    `  Langfuse  baseUrl ${url}   POST /api/public/ingestion, /api/public/otel/v1/traces`,
    `  data      ${dir} (at most ${Math.round(maxBytes / MiB)} MiB; the oldest sessions are deleted first)`,
    ...(apiKey ? ['  ingest requires the --api-key'] : []),
  ];
}

/**
 * `rxtel console`: runs the console until SIGINT or SIGTERM (or `stopSignal`). Prints where to
 * point apps, one line per new session and per evicted session (not per batch). Returns the exit
 * code: 0 after a clean stop, 2 for bad arguments, 1 when it cannot listen or open its folder,
 * with one line saying why.
 *
 * @example
 * ```ts
 * process.exitCode = await runConsoleCommand(['--port', '0'], { stdout: console.log, stderr: console.error });
 * ```
 */
export async function runConsoleCommand(argv: readonly string[], io: ConsoleIo, stopSignal?: Promise<unknown>): Promise<number> {
  const line = readCommandLine(argv, { name: 'console', options: CONSOLE_OPTIONS, usage: CONSOLE_USAGE, usageLine: USAGE_LINE }, io, VERSION);
  if (typeof line === 'number') return line;
  const { values, text } = line;
  const port = Number(text('port') ?? DEFAULT_CONSOLE_PORT);
  const host = text('host') ?? '127.0.0.1';
  const dir = text('data') ?? process.env['RXTEL_CONSOLE_DATA'] ?? DEFAULT_DATA;
  const maxBytes = Number(text('max-mb') ?? DEFAULT_MAX_STORE_BYTES / MiB) * MiB;
  const apiKey = text('api-key');
  if (!isLoopback(host)) {
    io.stderr(
      `rxtel console: warning: listening on ${host}, not loopback: anyone who can reach this machine can read what the console stores` +
        (apiKey === undefined ? ' and send to it (give --api-key to guard ingest)' : ''),
    );
  }
  const known = new Set<string>();
  let console: ConsoleServer;
  try {
    console = await startConsoleServer({
      dir,
      port,
      host,
      maxBytes,
      maxBodyBytes: DEFAULT_CONSOLE_MAX_BODY_BYTES,
      ...(apiKey === undefined ? {} : { apiKey }),
      onEvict: (evicted) => io.stdout(`evicted session ${evicted.id} (${evicted.events} events, ${evicted.bytes} bytes) to stay under ${Math.round(maxBytes / MiB)} MiB`),
      onIngest: (outcome) => {
        for (const session of outcome.sessions) {
          if (known.has(session)) continue;
          known.add(session);
          io.stdout(`session ${session} (${outcome.protocol})`);
        }
        if (outcome.status >= 400) io.stderr(`refused a ${outcome.protocol} request: ${outcome.status} ${outcome.error ?? ''}`.trimEnd());
      },
    });
  } catch (error) {
    const why = storeFailure(error, dir) ?? listenFailure(error, host, port);
    if (why === undefined) throw error;
    io.stderr(`rxtel console: ${why}`);
    return 1;
  }
  for (const session of console.store.sessions()) known.add(session.id);
  for (const line of banner(console, dir, maxBytes, apiKey !== undefined)) io.stdout(line);
  if (values['open'] === true) openBrowser(`${console.url}/`, io);
  await (stopSignal ??
    new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }));
  await console.close();
  const info = console.store.info();
  io.stdout(`stopped; ${info.sessions} sessions, ${info.events} events kept in ${dir}`);
  return 0;
}

/** Why the store's folder cannot be used, in one line; `undefined` for anything else. */
function storeFailure(error: unknown, dir: string): string | undefined {
  if (error instanceof FolderLockedError) return `${error.message}: stop it, or pick another --data`;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to write ${dir} (${code}): pick another --data`;
  if (code === 'ENOTDIR' || code === 'EEXIST') return `${dir} is not a folder (${code}): pick another --data`;
  if (code === 'ENOSPC') return `no space left for ${dir} (ENOSPC)`;
  return undefined;
}
