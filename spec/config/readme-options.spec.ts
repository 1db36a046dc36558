import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ReporterOptions } from '../../src/config/options.js';
import { isLiteral, schemaDefaults } from '../helpers/config.js';

/**
 * The README's options table is checked against the schema: every option has a row, every row
 * is an option, and a default the schema states as a number, boolean or string is the table's.
 */

/** Options whose default the table says in words: it depends on the environment or on other options, or it is no literal. */
const IN_WORDS = new Set(['endpoint', 'apiKey', 'sessionId', 'enabled', 'maxQueueBytes', 'sinks', 'redactKeys', 'events', 'scheduler', 'random', 'logger', 'debug', 'spool']);
/** What the table says for an option with no default (unset means none). */
const NO_DEFAULT = '—';

interface Row {
  readonly option: string;
  readonly defaultValue: string;
}

function readmeRows(): Row[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Options\n'));
  if (section === undefined) throw new Error('README.md has no "## Options" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      // Cells split on unescaped pipes (`\|` stays inside a cell).
      const [option = '', defaultValue = ''] = line.slice(1).split(/(?<!\\)\|/).map((cell) => cell.trim());
      return { option: option.replace(/^`(.*)`$/, '$1'), defaultValue };
    });
}

/** A literal default as the table writes it: `100`, `true`, `'drop-newest'` (backticks and quotes optional). */
const literalOf = (cell: string): string => cell.replace(/^`(.*)`$/, '$1').replace(/^'(.*)'$/, '$1');

describe('the README options table', () => {
  const rows = readmeRows();
  const options = Object.keys(ReporterOptions.shape);
  const defaults = schemaDefaults();

  it('has one row per option of the schema, and no row for anything else', () => {
    const named = rows.map((r) => r.option);
    expect(named.filter((name) => !options.includes(name))).toEqual([]);
    expect(options.filter((name) => !named.includes(name))).toEqual([]);
    expect(named.filter((name, i) => named.indexOf(name) !== i)).toEqual([]);
  });

  it("states each literal default as the schema has it", () => {
    const literal = rows.filter((row) => !IN_WORDS.has(row.option) && isLiteral(defaults[row.option]));
    expect(literal.length).toBeGreaterThanOrEqual(15);
    for (const row of literal) {
      expect({ option: row.option, default: literalOf(row.defaultValue) }).toEqual({ option: row.option, default: String(defaults[row.option]) });
    }
  });

  it(`says ${NO_DEFAULT} for an option without a default, unless the default is one described in words`, () => {
    for (const row of rows.filter((r) => !IN_WORDS.has(r.option) && defaults[r.option] === undefined)) {
      expect({ option: row.option, default: row.defaultValue }).toEqual({ option: row.option, default: NO_DEFAULT });
    }
  });

  it('describes in words only options whose default is no literal or is derived', () => {
    const derived = ['endpoint', 'apiKey', 'sessionId', 'enabled', 'maxQueueBytes'];
    for (const option of IN_WORDS) {
      expect({ option, literal: !derived.includes(option) && isLiteral(defaults[option]) }).toEqual({ option, literal: false });
    }
  });
});
