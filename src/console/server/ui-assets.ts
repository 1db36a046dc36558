import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Content-Security-Policy of every answer: scripts, styles and requests only from the console
 * itself, no plugins, no framing. The UI renders every string as text; this is the second wall.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Headers on every answer of the console (API and UI). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/** Where `npm run build` puts the bundled UI: `dist/console-ui/`, beside `dist/console/`. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../console-ui/', import.meta.url));

/**
 * Serves the bundled UI from `dir`: `/` and any path without a file extension get `index.html` (the
 * UI routes by hash), files by name otherwise, each read once and kept. Only names made of letters,
 * digits, `-`, `_` and `.` are served, so no path leaves `dir`. When the UI was never built (running
 * from the sources), a 503 says how to build it.
 *
 * @example
 * ```ts
 * const ui = new UiAssets(DEFAULT_UI_DIR);
 * if (request.method === 'GET' && await ui.serve(path, response)) return;
 * ```
 */
export class UiAssets {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly dir: string) {}

  /** Answers `path` and resolves to true, or resolves to false for a path that is no UI file. */
  async serve(path: string, response: ServerResponse): Promise<boolean> {
    const name = path === '/' || !path.slice(1).includes('.') ? 'index.html' : path.slice(1);
    if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name)) return false;
    const type = TYPES[extname(name)];
    if (type === undefined) return false;
    const body = await this.read(name);
    if (body === undefined) {
      if (name !== 'index.html') return false;
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      response.end(`The console's UI is not built (no ${join(this.dir, 'index.html')}): run \`npm run build\`. The JSON API under /api/console/ works.\n`);
      return true;
    }
    response.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': name === 'index.html' ? 'no-cache' : 'max-age=300', ...SECURITY_HEADERS });
    response.end(body);
    return true;
  }

  private async read(name: string): Promise<Buffer | undefined> {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    try {
      const body = await readFile(join(this.dir, name));
      this.cache.set(name, body);
      return body;
    } catch {
      return undefined;
    }
  }
}
