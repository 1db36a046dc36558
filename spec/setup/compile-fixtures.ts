/**
 * jest globalSetup: compiles the child-process fixtures (spec/fixtures/) and the sources they
 * import (src/) to plain JavaScript once per run, so that each child starts with `node` instead
 * of paying ts-node's loader (about 1.8 s of CPU per child). The output goes to a fresh temporary
 * directory made for this run (never reused: a stale compile cannot be picked up);
 * spec/setup/remove-fixtures.ts deletes it after the run, or the next run does if this one was
 * killed. runFixture (spec/helpers/child-process.ts) finds it through RXTEL_FIXTURES_DIR.
 *
 * Each file is transpiled on its own (tsconfig has isolatedModules), without type checking:
 * `npm run typecheck` checks src/ and spec/. The fixtures import src/ (never dist/, which may be stale).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Read by runFixture and by remove-fixtures.ts. */
export const FIXTURES_DIR_ENV = 'RXTEL_FIXTURES_DIR';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** What the fixtures run: the fixtures themselves and everything they can import from src/. */
const INPUTS = ['src', 'spec/fixtures'];

async function typeScriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')).map((e) => join(e.parentPath, e.name));
}

/** Transpiles every input into `outDir` (same layout, `.js`) and makes it a runnable ES module tree. */
export async function compileFixtures(outDir: string): Promise<void> {
  const files = (await Promise.all(INPUTS.map((dir) => typeScriptFiles(join(root, dir))))).flat();
  const compilerOptions: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, isolatedModules: true };
  await Promise.all(
    files.map(async (file) => {
      const { outputText, diagnostics } = ts.transpileModule(await readFile(file, 'utf8'), { fileName: file, compilerOptions, reportDiagnostics: true });
      if (diagnostics !== undefined && diagnostics.length > 0) {
        throw new Error(`compile-fixtures: ${relative(root, file)}: ${ts.flattenDiagnosticMessageText(diagnostics[0]!.messageText, '\n')}`);
      }
      const out = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, outputText);
    }),
  );
  // ES modules, resolving their packages from the checkout's node_modules.
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');
  await symlink(join(root, 'node_modules'), join(outDir, 'node_modules'), 'junction');
}

const PREFIX = 'rxtel-fixtures-';

/** Whether process `pid` is alive (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes what runs that were killed before their globalTeardown left behind (their jest process is gone). */
async function removeOrphans(): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    const pid = name.startsWith(PREFIX) ? Number.parseInt(name.slice(PREFIX.length), 10) : Number.NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) await rm(join(tmpdir(), name), { recursive: true, force: true });
  }
}

export default async function globalSetup(): Promise<void> {
  await removeOrphans();
  const outDir = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
  try {
    await compileFixtures(outDir);
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  process.env[FIXTURES_DIR_ENV] = outDir;
}
