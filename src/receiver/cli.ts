import { TELEMETRY_PATH } from '../events/names.js';
import { VERSION } from '../version.js';
import { cliOptionsHelp, isIntegerIn, readCommandLine, type CliIo, type CliOption } from './cli-options.js';
import { listenFailure } from './listen-failure.js';
import { DEFAULT_MAX_BODY_BYTES, startReceiver, type Receiver } from './receiver.js';

export type { CliIo } from './cli-options.js';

const DEFAULT_PORT = 4318;
const DEFAULT_HOST = '127.0.0.1';
const MAX_BODY_BYTES = 2 ** 31;


/** The options of `rxtel receive`, as parsed and as `--help` shows them. */
const RECEIVE_OPTIONS: readonly CliOption[] = [
  {
    name: 'port',
    short: 'p',
    value: 'PORT',
    description: `TCP port to listen on; 0 picks a free one (default ${DEFAULT_PORT})`,
    expects: 'an integer from 0 to 65535',
    accepts: isIntegerIn(0, 65535),
  },
  { name: 'host', value: 'HOST', description: `address to listen on (default ${DEFAULT_HOST}, loopback only)` },
  { name: 'out', short: 'o', value: 'FILE', description: 'also append every stored event to this NDJSON file' },
  { name: 'api-key', value: 'KEY', description: 'answer 401 to requests without this x-api-key' },
  {
    name: 'max-body-bytes',
    value: 'BYTES',
    description: `answer 413 to larger request bodies, as sent or gunzipped (default ${DEFAULT_MAX_BODY_BYTES})`,
    expects: `an integer from 1 to ${MAX_BODY_BYTES}`,
    accepts: isIntegerIn(1, MAX_BODY_BYTES),
  },
  { name: 'help', short: 'h', description: 'show this help' },
  { name: 'version', short: 'v', description: 'print the rxtel version' },
];

const RECEIVE_USAGE_LINE = 'usage: rxtel receive [options] (rxtel receive --help lists them)';

export const RECEIVE_USAGE = `usage: rxtel receive [options]

Runs a Tinker-compatible telemetry receiver (POST ${TELEMETRY_PATH}) until SIGINT or SIGTERM.

options:
${cliOptionsHelp(RECEIVE_OPTIONS)}`;

/**
 * `rxtel receive`: runs the loopback receiver until SIGINT or SIGTERM (or `stopSignal`). Returns the
 * exit code: 0 after a clean stop, 2 for bad arguments (with the usage line), 1 when it cannot listen
 * (port in use, no permission, an address that is not this machine's), with one line saying why.
 */
export async function runReceiveCommand(argv: readonly string[], io: CliIo, stopSignal?: Promise<unknown>): Promise<number> {
  const line = readCommandLine(argv, { name: 'receive', options: RECEIVE_OPTIONS, usage: RECEIVE_USAGE, usageLine: RECEIVE_USAGE_LINE }, io, VERSION);
  if (typeof line === 'number') return line;
  const { text } = line;
  const port = Number(text('port') ?? DEFAULT_PORT);
  const host = text('host') ?? DEFAULT_HOST;
  const out = text('out');
  const apiKey = text('api-key');
  const maxBodyBytes = text('max-body-bytes');
  let receiver: Receiver;
  try {
    receiver = await startReceiver({
      port,
      host,
      ...(out === undefined ? {} : { out }),
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(maxBodyBytes === undefined ? {} : { maxBodyBytes: Number(maxBodyBytes) }),
      onBatch: (sessionId, stored) => io.stdout(`${stored} events from session ${sessionId}`),
    });
  } catch (error) {
    const why = listenFailure(error, host, port);
    if (why === undefined) throw error;
    io.stderr(`rxtel receive: ${why}`);
    return 1;
  }
  io.stdout(`rxtel receiver listening on ${receiver.url} (POST ${TELEMETRY_PATH})${out === undefined ? '' : `, appending to ${out}`}`);
  await (stopSignal ??
    new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }));
  await receiver.close();
  io.stdout(`stored ${receiver.events.length} events (${receiver.duplicates} duplicates ignored)`);
  return 0;
}
