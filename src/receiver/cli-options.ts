import { parseArgs } from 'node:util';

/**
 * The `rxtel` commands' options, declared once each: `node:util`'s `parseArgs` reads the command
 * line from the same table that `--help` prints.
 */

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
