#!/usr/bin/env node
/** The `rxtel` command: `rxtel receive` (the loopback receiver) and `rxtel demo` (what `npm start` runs). */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runReceiveCommand, type CliIo } from './receiver/cli.js';

export const USAGE = `usage: rxtel <command>

commands:
  receive   run a Tinker-compatible telemetry receiver on loopback (rxtel receive --help)
  demo      run the end-to-end demo against an embedded receiver
  help      show this text`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(USAGE);
      return 0;
    case 'receive':
      return runReceiveCommand(rest, io);
    case 'demo': {
      const { runDemo } = await import('./demo/demo.js');
      return runDemo(io.stdout);
    }
    default:
      io.stderr(`rxtel: unknown command \`${command}\`\n${USAGE}`);
      return 2;
  }
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  const io: CliIo = { stdout: (line) => console.log(line), stderr: (line) => console.error(line) };
  main(process.argv.slice(2), io).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : String(error));
      process.exitCode = 1;
    },
  );
}
