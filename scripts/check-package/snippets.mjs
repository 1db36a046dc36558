#!/usr/bin/env node
/**
 * Type-checks every ```ts / ```typescript block of README.md and docs/*.md against the installed
 * package, as a user who pastes it would: each block is its own ES module (`.mts`) under
 * `tsc --strict --module nodenext`, in a project where `rxtel` is the packed tarball.
 *
 * A block that is deliberately partial is skipped when the line before its fence (blank lines
 * aside) is `<!-- not-checked: reason -->`; the reason is required and printed. Every failing
 * block is reported as `file:line` of the markdown, with tsc's messages mapped to markdown lines.
 *
 * Names a block uses without declaring them (`reporter`, `error`, `app`, rxtel's exports) are
 * declared once in snippet-prelude.d.ts; a block's own imports and declarations shadow them.
 *
 * Usage: node snippets.mjs <repository root> <project dir with rxtel installed> <tsc binary>
 * Exits 1 when a block fails to compile, or a not-checked marker has no reason.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const [root, project, tsc] = process.argv.slice(2).map((arg) => resolve(arg));
if (root === undefined || project === undefined || tsc === undefined) {
  console.error('usage: node snippets.mjs <repository root> <project dir> <tsc binary>');
  process.exit(2);
}

const FENCE_OPEN = /^```(ts|typescript)\s*$/;
const NOT_CHECKED = /^<!--\s*not-checked:(.*?)-->\s*$/;

/** Every ts block of one markdown file: its first code line (1-based) and its code. */
function blocksOf(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const indent = /^\s*/.exec(lines[i])[0];
    if (!FENCE_OPEN.test(lines[i].trimStart())) continue;
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? NOT_CHECKED.exec(lines[before].trim()) : null;
    const code = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    blocks.push({ line: i + 2, code, skip: marker === null ? undefined : marker[1].trim() });
    i = end;
  }
  return blocks;
}

const files = [join(root, 'README.md'), ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => join(root, 'docs', f))];
const dir = join(project, 'snippets');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
// The names the blocks assume without declaring them (your `reporter`, your `error`, …).
copyFileSync(new URL('./snippet-prelude.d.ts', import.meta.url), join(dir, 'prelude.d.ts'));

const byModule = new Map();
let checked = 0;
let badMarkers = 0;
for (const file of files) {
  const name = relative(root, file);
  for (const block of blocksOf(file)) {
    const where = `${name}:${block.line - 1}`;
    if (block.skip !== undefined) {
      if (block.skip === '') {
        console.error(`${where}: a not-checked marker needs a reason: <!-- not-checked: why -->`);
        badMarkers++;
      } else console.log(`${where}: not checked (${block.skip})`);
      continue;
    }
    const module = `${name.replace(/[^A-Za-z0-9]+/g, '_')}_L${block.line}.mts`;
    // `export {}` makes a block without imports a module too, so top-level await type-checks.
    writeFileSync(join(dir, module), `${block.code.join('\n')}\nexport {};\n`);
    byModule.set(module, { name, first: block.line, where });
    checked++;
  }
}

const tsconfig = {
  compilerOptions: {
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2022', 'esnext.disposable'],
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(root, 'node_modules/@types')],
  },
  include: ['snippets/*.mts', 'snippets/prelude.d.ts'],
};
writeFileSync(join(project, 'tsconfig.snippets.json'), JSON.stringify(tsconfig, null, 2));

let output = '';
try {
  execFileSync(tsc, ['-p', 'tsconfig.snippets.json', '--pretty', 'false'], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
} catch (error) {
  output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
  if (output.trim() === '') throw error;
}

const failing = new Map();
const unmapped = [];
for (const line of output.split('\n').filter((l) => l.trim() !== '')) {
  const match = /^snippets\/([^(]+)\((\d+),(\d+)\): (.*)$/.exec(line);
  const block = match === null ? undefined : byModule.get(match[1]);
  if (block === undefined) {
    // A continuation line of the previous message, or something outside the snippets.
    const last = [...failing.values()].at(-1);
    if (match === null && last !== undefined && /^\s/.test(line)) last.push(`    ${line.trim()}`);
    else unmapped.push(line);
    continue;
  }
  const messages = failing.get(block.where) ?? [];
  messages.push(`  ${block.name}:${block.first + Number(match[2]) - 1}:${match[3]} ${match[4]}`);
  failing.set(block.where, messages);
}

for (const [where, messages] of failing) console.error(`\n${where}: this block does not compile under tsc --strict (module nodenext):\n${messages.join('\n')}`);
if (unmapped.length > 0) console.error(`\n${unmapped.join('\n')}`);
const failed = failing.size + (unmapped.length > 0 ? 1 : 0) + badMarkers;
console.log(`\nsnippets: ${checked} checked, ${failing.size} failing`);
process.exit(failed > 0 ? 1 : 0);
