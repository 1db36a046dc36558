#!/usr/bin/env node
/**
 * Every source map shipped in the package resolves: each `dist/**\/*.js.map` names sources that are
 * in the package too (rxtel ships src/ for them, docs/decisions/0021), and each `.js` that points
 * at a map has that map. A debugger or `node --enable-source-maps` in a user's project then shows
 * rxtel's TypeScript instead of a dangling path.
 *
 * Usage: node source-maps.mjs <the installed package's directory>
 * Exits 1 naming every map whose sources are missing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const problems = [];
let maps = 0;
let sources = 0;

for (const entry of readdirSync(join(root, 'dist'), { recursive: true })) {
  const file = join(root, 'dist', entry);
  if (file.endsWith('.js')) {
    const pointer = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, 'utf8'));
    if (pointer !== null && !existsSync(join(dirname(file), pointer[1]))) problems.push(`${relative(root, file)}: its map ${pointer[1]} is not in the package`);
  }
  if (!file.endsWith('.map')) continue;
  maps++;
  const map = JSON.parse(readFileSync(file, 'utf8'));
  for (const source of map.sources ?? []) {
    sources++;
    const path = resolve(dirname(file), map.sourceRoot ?? '', source);
    if (!path.startsWith(`${root}/`) || !existsSync(path)) problems.push(`${relative(root, file)}: source ${source} is not in the package`);
  }
}

if (maps === 0) problems.push('no source maps in dist/ (if they are no longer emitted, drop this check and say so in docs/decisions/0021)');
for (const problem of problems) console.error(`source-maps: ${problem}`);
console.log(`source maps: ${maps} maps, ${sources} sources, ${problems.length} unresolved`);
process.exit(problems.length > 0 ? 1 : 0);
