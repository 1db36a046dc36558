#!/usr/bin/env node
/**
 * README.md's links work where users read it, on the npm page as on the repository's: npm does
 * not resolve a relative link to a file, so every link is absolute (http(s)) or an anchor of the
 * README itself, and every link into this repository (`{repository}/blob/main/…` or
 * `/tree/main/…`) names a file or folder that exists here, its `#anchor` a heading of that file.
 * docs/decisions/0021 says why the links are absolute.
 *
 * Usage: node readme-links.mjs <repository root>
 * Exits 1 naming each link that would not work.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const repository = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
const anchorsOf = (text) => new Set([...text.matchAll(/^#{1,6}\s+(.*)$/gm)].map((m) => slug(m[1].replace(/`/g, ''))));

const problems = [];
let links = 0;
for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
  links++;
  const [path, anchor] = target.split('#');
  if (target.startsWith('#')) {
    if (!anchorsOf(readme).has(anchor)) problems.push(`${target}: no such heading in README.md`);
    continue;
  }
  if (!/^https?:\/\//.test(target)) {
    problems.push(`${target}: a relative link does not work on the npm page; link to ${repository}/blob/main/${target}`);
    continue;
  }
  const local = /^(?:blob|tree|raw)\/main\/(.*)$/.exec(path.startsWith(`${repository}/`) ? path.slice(repository.length + 1) : '');
  if (local === null) continue; // another site: not checked offline
  const file = join(root, local[1]);
  if (!existsSync(file)) problems.push(`${target}: ${local[1]} does not exist in the repository`);
  else if (anchor !== undefined && statSync(file).isFile() && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) problems.push(`${target}: no heading #${anchor} in ${local[1]}`);
}

for (const problem of problems) console.error(`readme-links: ${problem}`);
console.log(`README links: ${links} checked, ${problems.length} broken`);
process.exit(problems.length > 0 ? 1 : 0);
