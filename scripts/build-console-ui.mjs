// Bundles the console's web UI (src/console/ui, Preact + uPlot) into dist/console-ui/: one minified
// app.js, one app.css (uPlot's CSS included), index.html (no inline script or style: the console
// serves it under a strict Content-Security-Policy) and the bundled libraries' licences. Prints the
// sizes. Run by `npm run build` after tsc; docs/decisions/0022-console-ui-stack.md says why.
import { build } from 'esbuild';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src/console/ui');
const out = join(root, 'dist/console-ui');
/** app.js above this fails the build: the UI is meant to stay small (decision 0022). */
const MAX_JS_BYTES = 120_000;

await mkdir(out, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { app: join(src, 'main.tsx') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome111', 'firefox115', 'safari16.4', 'edge111'],
  platform: 'browser',
  tsconfig: join(src, 'tsconfig.json'),
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  sourcemap: false,
  metafile: true,
  logLevel: 'warning',
});
if (result.errors.length > 0) process.exit(1);

const html = await readFile(join(src, 'index.html'), 'utf8');
if (/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i.test(html)) {
  console.error('build-console-ui: index.html has an inline script, style or handler; the CSP forbids them');
  process.exit(1);
}
await writeFile(join(out, 'index.html'), html);

// The bundled libraries are MIT: their notices ship beside the bundle.
const licences = [];
for (const pkg of ['preact', 'uplot']) {
  const { version } = JSON.parse(await readFile(join(root, 'node_modules', pkg, 'package.json'), 'utf8'));
  licences.push(`${pkg} ${version}\n\n${(await readFile(join(root, 'node_modules', pkg, 'LICENSE'), 'utf8')).trim()}\n`);
}
await writeFile(join(out, 'LICENSES.txt'), `app.js and app.css bundle these packages:\n\n${licences.join('\n---\n\n')}`);

let failed = false;
for (const file of ['app.js', 'app.css', 'index.html']) {
  const bytes = (await stat(join(out, file))).size;
  const gzip = gzipSync(await readFile(join(out, file))).length;
  console.log(`dist/console-ui/${file.padEnd(10)} ${(bytes / 1000).toFixed(1).padStart(6)} kB  (${(gzip / 1000).toFixed(1)} kB gzip)`);
  if (file === 'app.js' && bytes > MAX_JS_BYTES) {
    console.error(`build-console-ui: app.js is ${bytes} bytes, over the ${MAX_JS_BYTES} budget`);
    failed = true;
  }
}
if (failed) process.exit(1);


