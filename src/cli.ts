#!/usr/bin/env node
/** The `rxtel` command: `rxtel console` (the local console), `rxtel receive` (the headless receiver) and `rxtel demo` (what `npm start` runs). */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cliOptionsHelp, parseCliOptions, type CliOption } from './receiver/cli-options.js';
import { runReceiveCommand, type CliIo } from './receiver/cli.js';
import { VERSION } from './version.js';

const OPTIONS: readonly CliOption[] = [
  { name: 'help', short: 'h', description: 'show this help' },
  { name: 'version', short: 'v', description: 'print the rxtel version' },
];

export const USAGE = `usage: rxtel <command> [options]

commands:
  console   see what your apps send: ingest (Tinker, OTLP, Langfuse), a disk store and a web UI on one port (rxtel console --help)
  receive   run a Tinker-compatible telemetry receiver on loopback, headless (rxtel receive --help)
  demo      run the end-to-end demo against an embedded receiver, or --endpoint URL (a running console)
  help      show this help

options:
${cliOptionsHelp(OPTIONS)}`;

/** Runs one `rxtel` command line; resolves to the exit code (2 for a command line it cannot read). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
      io.stdout(USAGE);
      return 0;
    case 'receive':
      return runReceiveCommand(rest, io);
    case 'console': {
      const { runConsoleCommand } = await import('./console/cli.js');
      return runConsoleCommand(rest, io);
    }
    case 'demo': {
      const { runDemoCommand } = await import('./demo/demo.js');
      return runDemoCommand(rest, io);
    }
  }
  if (!command.startsWith('-')) {
    io.stderr(`rxtel: unknown command \`${command}\`\n${USAGE}`);
    return 2;
  }
  const values = parseCliOptions(argv, OPTIONS);
  if (typeof values === 'string') {
    io.stderr(`rxtel: ${values}\n${USAGE}`);
    return 2;
  }
  io.stdout(values['version'] === true && values['help'] !== true ? VERSION : USAGE);
  return 0;
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
