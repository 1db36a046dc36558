import { afterEach, describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../src/errors/config-error.js';
import type { TelemetryEvent } from '../../../src/events/wire.js';
import { OtlpHttpSink } from '../../../src/sinks/otlp-http-sink.js';
import type { ExportContext } from '../../../src/sinks/sink.js';
import { decodeOtlp } from '../../helpers/otlp-json.js';
import { startScriptedServer, type ScriptedHandler, type ScriptedServer } from '../../helpers/scripted-http-server.js';

const SESSION_ID = '0b6f3c9e-3f5a-4c1e-9a53-0d2f4f1b7a10';
const TOKEN = 'env-s3cret-token-0123456789';
const context: ExportContext = { batchId: 'b', attempt: 0, sessionId: SESSION_ID };
const live = (): AbortSignal => new AbortController().signal;
const events: TelemetryEvent[] = [
  { event: 'SESSION_START', event_id: 's', event_session_index: 0, severity: 'INFO', timestamp: '2026-01-01T00:00:00.000001Z' },
  {
    event: 'GENERIC_EVENT',
    event_id: 'g',
    event_session_index: 1,
    severity: 'INFO',
    timestamp: '2026-01-01T00:00:00.000002Z',
    event_name: 'llm.tool.called',
    event_data: { tool: 'search', latency_ms: 3, success: true },
  },
];

let server: ScriptedServer | undefined;
const sinks: OtlpHttpSink[] = [];
afterEach(async () => {
  for (const request of server?.requests ?? []) decodeOtlp(request.path.endsWith('/logs') ? 'logs' : 'traces', request.body);
  await Promise.all(sinks.splice(0).map((sink) => sink.shutdown()));
  await server?.close();
  server = undefined;
});

async function serve(handler?: ScriptedHandler): Promise<ScriptedServer> {
  server = await startScriptedServer(handler ?? (() => ({ status: 200, body: '{}' })));
  return server;
}
function sink(...args: ConstructorParameters<typeof OtlpHttpSink>): OtlpHttpSink {
  const made = new OtlpHttpSink(...args);
  sinks.push(made);
  return made;
}
const resourceOf = (body: string) =>
  Object.fromEntries(
    (JSON.parse(body) as { resourceLogs: [{ resource: { attributes: { key: string; value: Record<string, unknown> }[] } }] }).resourceLogs[0].resource.attributes.map((kv) => [
      kv.key,
      Object.values(kv.value)[0],
    ]),
  );

describe('OtlpHttpSink from the OTEL_* environment, against a loopback collector', () => {
  it('endpoint may be omitted: OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/logs and /v1/traces; headers, service and resource from the environment', async () => {
    const s = await serve();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${s.url}/otlp`,
      OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${TOKEN},x-team=ml`,
      OTEL_SERVICE_NAME: 'trainer',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.name=ignored',
    };
    expect(await sink({}, env).export(events, live(), context)).toEqual({ status: 'success' });
    expect(s.requests.map((r) => r.path).sort()).toEqual(['/otlp/v1/logs', '/otlp/v1/traces']);
    for (const request of s.requests) expect(request.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-team': 'ml' });
    const logs = s.requests.find((r) => r.path === '/otlp/v1/logs');
    expect(resourceOf(logs?.body ?? '{}')).toMatchObject({ 'service.name': 'trainer', 'deployment.environment.name': 'prod' });
  });

  it('the per-signal variables are used as they are', async () => {
    const s = await serve();
    const env = { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${s.url}/custom/logs`, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${s.url}/custom/spans?x=1` };
    await sink(undefined, env).export(events, live(), context);
    expect(s.requests.map((r) => r.path).sort()).toEqual(['/custom/logs', '/custom/spans?x=1']);
  });

  it('an explicit option wins: endpoint over every endpoint variable, a header over the same header in any case, compression and timeoutMs', async () => {
    const s = await serve();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1/never',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:1/never/logs',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20from-env,x-kept=1',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_SERVICE_NAME: 'from-env',
    };
    const made = sink({ endpoint: s.url, headers: { authorization: `Bearer ${TOKEN}` }, compression: 'none', serviceName: 'from-option' }, env);
    await made.export(events, live(), context);
    expect(s.requests.map((r) => r.path).sort()).toEqual(['/v1/logs', '/v1/traces']);
    for (const request of s.requests) {
      expect(request.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-kept': '1' });
      expect(request.headers).not.toHaveProperty('content-encoding');
    }
    expect(resourceOf(s.requests.find((r) => r.path === '/v1/logs')?.body ?? '{}')['service.name']).toBe('from-option');
  });

  it('OTEL_EXPORTER_OTLP_COMPRESSION=gzip compresses; OTEL_EXPORTER_OTLP_TIMEOUT bounds each request', async () => {
    const s = await serve(() => ({ hang: true }));
    const result = await sink({ endpoint: s.url }, { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_TIMEOUT: '150' }).export(events, live(), context);
    expect(result).toMatchObject({ status: 'retryable', error: { code: 'ERR_RXTEL_TIMEOUT' } });
    expect(s.requests.every((r) => r.headers['content-encoding'] === 'gzip')).toBe(true);
    // Gzip bodies are not UTF-8: nothing for the decoder here (the gzip test of the sink's own spec decodes one).
    s.requests.length = 0;
  });

  it('no endpoint anywhere is a ConfigError naming `endpoint` and the variable', () => {
    expect(() => new OtlpHttpSink({}, {})).toThrow(
      expect.objectContaining({ option: 'endpoint', message: 'Missing option `endpoint` of OtlpHttpSink: give the collector URL, or set OTEL_EXPORTER_OTLP_ENDPOINT' }) as never,
    );
  });

  it('an unusable variable is a ConfigError naming it, never showing a header value; a lookup function works like a record', () => {
    for (const [name, value] of [
      ['OTEL_EXPORTER_OTLP_HEADERS', `authorization=Bearer ${TOKEN}%0Ax:1`],
      ['OTEL_EXPORTER_OTLP_TIMEOUT', '5s'],
      ['OTEL_EXPORTER_OTLP_COMPRESSION', 'zstd'],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
      ['OTEL_RESOURCE_ATTRIBUTES', 'broken'],
    ]) {
      let error: unknown;
      try {
        new OtlpHttpSink({}, (variable) => (variable === name ? value : variable === 'OTEL_EXPORTER_OTLP_ENDPOINT' ? 'http://127.0.0.1:4318' : undefined));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ option: name });
      expect(String((error as Error).stack)).not.toContain(TOKEN);
    }
  });
});
