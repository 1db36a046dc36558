import { parseArgs } from 'node:util';

/**
 * The `rxtel` commands' options, declared once each: `node:util`'s `parseArgs` reads the command
 * line from the same table that `--help` prints.
 */

/**
 * An `accepts` check for an integer option from `min` to `max` (digits only: no sign, no exponent).
 *
 * @example
 * ```ts
 * { name: 'port', value: 'PORT', description: '…', expects: 'an integer from 0 to 65535', accepts: isIntegerIn(0, 65535) }
 * ```
 */
export const isIntegerIn =
  (min: number, max: number) =>
  (value: string): boolean =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max;

/** One command-line option and its line in `--help`. */
export interface CliOption {
  /** Long name without dashes: `port` is `--port`. */
  readonly name: string;
  /** One letter: `p` is `-p`. */
  readonly short?: string;
  /** What the value is called in `--help` (`PORT`); a flag without a value when absent. */
  readonly value?: string;
  readonly description: string;
  /** What the value must be, for the message when it is not: `an integer from 0 to 65535`. @defaultValue 'a value' */
  readonly expects?: string;
  /** Whether a value is one. @defaultValue any value is */
  readonly accepts?: (value: string) => boolean;
}

/** What was given: a value for each option that takes one, `true` for each flag. Repeated options: the last wins. */
export type CliValues = Readonly<Record<string, string | true | undefined>>;

/**
 * Reads `argv` against `options` (`--port 4318`, `--port=4318`, `-p 4318`, `-p4318`, `--` ends the
 * options). Returns the values, or one line saying what is wrong: an unknown option, a missing
 * or unacceptable value, a value given to a flag, an argument that is no option.
 *
 * parseArgs runs non-strict and the table is checked here, so that each message names the option
 * as the user wrote it and says what it wants.
 *
 * @example
 * ```ts
 * parseCliOptions(['--port=4318'], [{ name: 'port', value: 'PORT', description: '…' }]); // { port: '4318' }
 * parseCliOptions(['--verbose'], []);                                                   // 'unknown option --verbose'
 * parseCliOptions(['--port'], [{ name: 'port', value: 'PORT', expects: 'a port', description: '…' }]); // '--port expects a port, got nothing'
 * ```
 */
export function parseCliOptions(argv: readonly string[], options: readonly CliOption[]): CliValues | string {
  const config = Object.fromEntries(
    options.map((o) => [o.name, { type: o.value === undefined ? ('boolean' as const) : ('string' as const), ...(o.short === undefined ? {} : { short: o.short }) }]),
  );
  const { tokens } = parseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | true> = {};
  for (const token of tokens) {
    if (token.kind === 'positional') return `unexpected argument \`${token.value}\``;
    if (token.kind !== 'option') continue;
    const option = options.find((o) => o.name === token.name);
    if (option === undefined) return `unknown option ${token.rawName}`;
    if (option.value === undefined) {
      if (token.value !== undefined) return `${token.rawName} takes no value`;
      values[option.name] = true;
    } else {
      // `--out --port 1`: the next option is not --out's value (`--out=--port` if it is).
      const given = token.value === undefined || (token.inlineValue !== true && token.value.startsWith('--')) ? undefined : token.value;
      if (given === undefined || option.accepts?.(given) === false) {
        return `${token.rawName} expects ${option.expects ?? 'a value'}, got ${given === undefined ? 'nothing' : `\`${given}\``}`;
      }
      values[option.name] = given;
    }
  }
  return values;
}

/**
 * `--help`'s lines for `options`, one each, descriptions aligned.
 *
 * @example
 * ```ts
 * cliOptionsHelp([{ name: 'port', short: 'p', value: 'PORT', description: 'TCP port' }]); // '  -p, --port PORT  TCP port'
 * ```
 */
export function cliOptionsHelp(options: readonly CliOption[]): string {
  const heads = options.map((o) => `${o.short === undefined ? '    ' : `-${o.short}, `}--${o.name}${o.value === undefined ? '' : ` ${o.value}`}`);
  const width = Math.max(...heads.map((h) => h.length));
  return options.map((o, i) => `  ${(heads[i] ?? '').padEnd(width)}  ${o.description}`).join('\n');
}

/** Where a command writes its lines. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/** A command as its command line is read: `rxtel <name>`, its options, its help. */
export interface CommandLine {
  /** `receive`, `console`, `demo`. */
  readonly name: string;
  readonly options: readonly CliOption[];
  /** What `--help` prints. */
  readonly usage: string;
  /** The line under an error. @defaultValue `usage` */
  readonly usageLine?: string;
}

/** A command line that was read: the values, and each option's text when it was given one. */
export interface ReadCommandLine {
  readonly values: CliValues;
  readonly text: (name: string) => string | undefined;
}

/**
 * Reads `argv` for `command`: the values; or, having printed what was asked or what is wrong, the
 * exit code — 0 after `--help` (the usage) or `--version` (when the command has it), 2 after an
 * argument it cannot read (one line naming it, then the usage line, on stderr).
 *
 * @example
 * ```ts
 * const line = readCommandLine(argv, { name: 'console', options: CONSOLE_OPTIONS, usage: CONSOLE_USAGE }, io, VERSION);
 * if (typeof line === 'number') return line;
 * const port = Number(line.text('port') ?? 4318);
 * ```
 */
export function readCommandLine(argv: readonly string[], command: CommandLine, io: CliIo, version: string): ReadCommandLine | number {
  const values = parseCliOptions(argv, command.options);
  if (typeof values === 'string') {
    io.stderr(`rxtel ${command.name}: ${values}\n${command.usageLine ?? command.usage}`);
    return 2;
  }
  if (values['help'] === true) {
    io.stdout(command.usage);
    return 0;
  }
  if (values['version'] === true && command.options.some((option) => option.name === 'version')) {
    io.stdout(version);
    return 0;
  }
  return { values, text: (name) => (typeof values[name] === 'string' ? (values[name] as string) : undefined) };
}
