import { afterEach, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { ExportError } from '../../../src/errors/export-error.js';
import { JsonPoster } from '../../../src/sinks/http/json-poster.js';
import { TinkerHttpSink } from '../../../src/sinks/tinker-http-sink.js';
import { startScriptedServer, type ScriptedServer } from '../../helpers/scripted-http-server.js';

const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Every way a backend may echo `secret` in a JSON or form body. */
function echoes(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const ascii = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [secret, json, ascii, json.replaceAll('/', '\\/'), encodeURIComponent(secret)];
}

describe('JsonPoster secret removal', () => {
  it('removes a secret as given, JSON-escaped, ASCII-escaped, slash-escaped and URL-encoded', () => {
    const secret = 'sk/"ünï"\\-0123';
    const poster = new JsonPoster({ name: 't', timeoutMs: 1000, secrets: [secret] });
    for (const echoed of echoes(secret)) {
      const clean = poster.redact(`{"error":"bad key ${echoed} given"}`);
      expect(clean).toBe('{"error":"bad key [redacted] given"}');
    }
    poster.close();
  });

  it('a Tinker backend echoing the API key JSON-escaped in its error body never shows it in the result', async () => {
    const apiKey = 'tml/"quoted"/key-0123456789';
    server = await startScriptedServer(() => ({
      status: 401,
      headers: { 'content-type': 'application/json' },
      // As a JSON encoder writes it, as PHP's (escaped slashes) and as a form echo.
      body: `{"detail":"invalid key ${echoes(apiKey)[1]!}","php":"${echoes(apiKey)[3]!}","form":"${echoes(apiKey)[4]!}"}`,
    }));
    const sink = new TinkerHttpSink({ endpoint: server.url, apiKey });
    const result = await sink.export([], new AbortController().signal, { batchId: 'b', attempt: 0, sessionId: SESSION_ID });
    await sink.shutdown();
    expect(result.status).toBe('failure');
    if (result.status === 'success') return;
    expect(result.error).toBeInstanceOf(ExportError);
    const shown = [result.error.message, JSON.stringify(result.error), inspect(result.error, { depth: 5 }), String((result.error as ExportError).body)].join('\n');
    expect(shown).toContain('[redacted]');
    for (const echoed of echoes(apiKey)) expect(shown).not.toContain(echoed);
    expect(shown).not.toContain('quoted');
  });
});
