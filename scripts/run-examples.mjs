#!/usr/bin/env node
/**
 * Runs every program in examples/ against rxtel as users install it: in a project directory where
 * the packed tarball is installed (scripts/check-package.sh makes one and calls this). Adding an
 * example is dropping a file in examples/: `*.mjs` runs as it is; `*.ts` is first type-checked
 * and compiled with `tsc --strict --module nodenext`, then run. An example proves itself: it
 * exits non-zero (a failed assertion, a rejection) when what it shows did not happen. Each one
 * has 30 s (RXTEL_EXAMPLE_TIMEOUT_MS): a hang is a failure, not a stalled CI.
 *
 * Usage: node scripts/run-examples.mjs <project dir with rxtel installed> <tsc binary>
 * Exits 1 if any example failed, naming each.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [project, tsc] = process.argv.slice(2).map((arg) => resolve(arg));
if (project === undefined || tsc === undefined) {
  console.error('usage: node scripts/run-examples.mjs <project dir> <tsc binary>');
  process.exit(2);
}
const timeout = Number(process.env.RXTEL_EXAMPLE_TIMEOUT_MS ?? 30_000);
const source = new URL('../examples/', import.meta.url);
const dir = join(project, 'examples');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const names = readdirSync(source).filter((name) => /\.(mjs|ts)$/.test(name) && !name.endsWith('.d.ts')).sort();
if (names.length === 0) {
  console.error('run-examples: no examples/*.mjs or *.ts');
  process.exit(1);
}
for (const name of names) copyFileSync(new URL(name, source), join(dir, name));

const failed = [];
const typescript = names.filter((name) => name.endsWith('.ts'));
if (typescript.length > 0) {
  const tsconfig = {
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', outDir: 'compiled', rootDir: '.', skipLibCheck: true, types: ['node'], typeRoots: [resolve(tsc, '../../@types')] },
    files: typescript,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const compiled = spawnSync(tsc, ['-p', '.', '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  if (compiled.status !== 0) {
    console.error(`run-examples: the TypeScript examples do not compile:\n${compiled.stdout}${compiled.stderr}`.replaceAll(/^(\S+\.ts)\(/gm, 'examples/$1('));
    process.exit(1);
  }
}

for (const name of names) {
  const file = name.endsWith('.ts') ? join('compiled', name.replace(/\.ts$/, '.js')) : name;
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout, killSignal: 'SIGKILL' });
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
  const output = `${run.stdout}${run.stderr}`.trim();
  if (run.status === 0) {
    console.log(`ok    examples/${name} (${ms} ms): ${output.split('\n').at(-1)}`);
    continue;
  }
  const why = run.error?.code === 'ETIMEDOUT' ? `still running after ${timeout} ms` : run.signal !== null ? `killed by ${run.signal}` : `exit code ${run.status}`;
  console.error(`FAIL  examples/${name} (${why}):\n${output.replace(/^/gm, '      ')}`);
  failed.push(name);
}
console.log(`examples: ${names.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
