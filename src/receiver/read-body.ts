import type { IncomingMessage } from 'node:http';

/** The body, or `tooLarge` as soon as it passes `maxBytes` (the rest is not buffered). */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<{ text: string } | { tooLarge: true }> {
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
      if (!done) resolve({ text: Buffer.concat(chunks).toString('utf8') });
    });
    request.on('error', reject);
  });
}
