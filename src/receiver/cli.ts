import { TELEMETRY_PATH } from '../events/names.js';
import { startReceiver } from './receiver.js';

export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

export const RECEIVE_USAGE = `usage: rxtel receive [--port 4318] [--host 127.0.0.1] [--out events.ndjson] [--api-key KEY] [--max-body-bytes 1048576]`;

interface ReceiveArgs {
  port: number;
  host: string;
  out?: string;
  apiKey?: string;
  maxBodyBytes?: number;
}

function parseArgs(argv: readonly string[]): ReceiveArgs | string {
  const args: ReceiveArgs = { port: 4318, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const integer = (min: number, max: number): number | string => {
      const n = Number(value);
      return value !== undefined && /^\d+$/.test(value) && n >= min && n <= max ? n : `${flag} expects an integer from ${min} to ${max}, got ${value === undefined ? 'nothing' : `\`${value}\``}`;
    };
    let parsed: number | string | undefined;
    switch (flag) {
      case '--port':
        parsed = integer(0, 65535);
        if (typeof parsed === 'number') args.port = parsed;
        break;
      case '--max-body-bytes':
        parsed = integer(1, 2 ** 31);
        if (typeof parsed === 'number') args.maxBodyBytes = parsed;
        break;
      case '--host':
      case '--out':
      case '--api-key':
        if (value === undefined || value.startsWith('--')) return `${flag} expects a value`;
        if (flag === '--host') args.host = value;
        else if (flag === '--out') args.out = value;
        else args.apiKey = value;
        break;
      default:
        return `unknown option ${flag}`;
    }
    if (typeof parsed === 'string') return parsed;
    i++;
  }
  return args;
}

/**
 * `rxtel receive`: runs the loopback receiver until SIGINT or SIGTERM. Returns the exit code
 * (2 for bad arguments).
 */
export async function runReceiveCommand(argv: readonly string[], io: CliIo, stopSignal?: Promise<unknown>): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(RECEIVE_USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`rxtel receive: ${args}\n${RECEIVE_USAGE}`);
    return 2;
  }
  const receiver = await startReceiver({
    ...args,
    onBatch: (sessionId, stored) => io.stdout(`${stored} events from session ${sessionId}`),
  });
  io.stdout(`rxtel receiver listening on ${receiver.url} (POST ${TELEMETRY_PATH})${args.out === undefined ? '' : `, appending to ${args.out}`}`);
  await (stopSignal ??
    new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }));
  await receiver.close();
  io.stdout(`stored ${receiver.events.length} events (${receiver.duplicates} duplicates ignored)`);
  return 0;
}
