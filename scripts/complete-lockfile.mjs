#!/usr/bin/env node
/**
 * Adds lockfile entries for platform-specific optional packages that this machine's registry
 * does not serve (it answers 404 for non-Linux builds of native bindings). Without them `npm ci`
 * refuses the lockfile ("Missing: … from lock file") even though it would skip those packages
 * anyway. Each entry carries the package's os/cpu/libc, so npm skips it on every other platform
 * exactly as it would have. Run after `npm install` changes the lockfile.
 * See docs/decisions/0008-lockfile-platform-bindings.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const entry of Object.values(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const match = /^@unrs\/resolver-binding-([a-z0-9]+)-([a-z0-9]+)(?:-(\w+))?$/.exec(name);
    if (match === null || packages[`node_modules/${name}`] !== undefined) continue;
    const [, os, cpu, abi] = match;
    const libc = abi === undefined || abi === 'msvc' || abi === 'eabi' ? undefined : abi.startsWith('musl') ? 'musl' : 'glibc';
    packages[`node_modules/${name}`] = { version, cpu: [cpu], license: 'MIT', optional: true, os: [os], ...(libc ? { libc: [libc] } : {}) };
    added++;
  }
}

const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
