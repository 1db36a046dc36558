import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { ReporterOptions } from '../../src/config/options.js';
import { isLiteral, schemaDefaults } from '../helpers/config.js';

/**
 * `ReporterOptions` is two declarations with one name: the documented interface (what an editor
 * shows on hover) and the zod schema (checks and defaults). `ReporterOptionsMatchSchema` in the
 * module makes `tsc` fail when their options or types drift; these tests hold the rest: every
 * option is documented, and a documented literal default is the schema's.
 */

const SOURCE = 'src/config/options.ts';

interface Documented {
  readonly name: string;
  readonly comment: string;
  readonly defaultValue: string | undefined;
}

function documentedOptions(): Documented[] {
  const file = ts.createSourceFile(SOURCE, readFileSync(SOURCE, 'utf8'), ts.ScriptTarget.ES2022, true);
  const declaration = file.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'ReporterOptions');
  if (declaration === undefined) throw new Error(`no interface ReporterOptions in ${SOURCE}`);
  return declaration.members.filter(ts.isPropertySignature).map((member) => {
    const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
    const comment = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '').join('\n').trim();
    const tag = docs.flatMap((doc) => doc.tags ?? []).find((t) => t.tagName.text === 'defaultValue');
    return { name: (member.name as ts.Identifier).text, comment, defaultValue: tag === undefined ? undefined : ts.getTextOfJSDocComment(tag.comment)?.trim() };
  });
}


describe('ReporterOptions, the documented interface', () => {
  const documented = documentedOptions();

  it('documents exactly the options of the schema, in its order', () => {
    expect(documented.map((d) => d.name)).toEqual(Object.keys(ReporterOptions.shape));
  });

  it.each(documented.map((d) => [d.name, d] as const))('%s has a doc comment (what the editor shows on hover)', (_name, option) => {
    expect(option.comment.length).toBeGreaterThan(20);
  });

  it('states every literal default of the schema in @defaultValue, as the schema has it', () => {
    const defaults = schemaDefaults();
    const literal = documented.filter((d) => isLiteral(defaults[d.name]) && d.name !== 'sessionId');
    expect(literal.length).toBeGreaterThanOrEqual(15);
    for (const option of literal) {
      const stated = option.defaultValue?.replace(/^'(.*)'$/, '$1');
      expect({ option: option.name, stated }).toEqual({ option: option.name, stated: String(defaults[option.name]) });
    }
  });

  it('states a default in words for every option whose default is not a literal or depends on more than the schema', () => {
    const defaults = schemaDefaults();
    // Options with no default at all (unset means "none") need no tag.
    const none = ['rateLimits', 'sampleRates', 'beforeSend'];
    for (const option of documented.filter((d) => !isLiteral(defaults[d.name]) && !none.includes(d.name))) {
      expect({ option: option.name, stated: option.defaultValue !== undefined }).toEqual({ option: option.name, stated: true });
    }
  });
});
