import type { IncomingMessage } from 'node:http';

/**
 * The body's bytes as they came (still in their content coding), or `tooLarge` as soon as they pass
 * `maxBytes`, or at once when `content-length` says they will: the rest is read and dropped, never
 * buffered.
 *
 * @example
 * ```ts
 * const body = await readBody(request, 1024 * 1024);
 * if ('tooLarge' in body) return answer(413, …);
 * ```
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<{ bytes: Buffer } | { tooLarge: true }> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      request.resume();
      resolve({ tooLarge: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!done) resolve({ bytes: Buffer.concat(chunks) });
    });
    request.on('error', reject);
  });
}
