/**
 * Refused events, end to end: real reporters with real LangfuseSinks against loopback servers that
 * answer 207 the way Langfuse's ingestion API does (`{ successes, errors }`, one entry per item).
 * Every wait is on the reporter's own promises.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { createReporter } from '../../src/create-reporter.js';
import type { ReporterOptions } from '../../src/config/options.js';
import type { Reporter } from '../../src/reporter/types.js';
import { LangfuseSink } from '../../src/sinks/langfuse-sink.js';
import { startScriptedServer, type RecordedRequest, type ScriptedReply, type ScriptedServer } from '../helpers/scripted-http-server.js';

interface Item {
  readonly id: string;
  readonly type: string;
  readonly body: { readonly name?: string; readonly metadata?: Record<string, unknown> };
}

const itemsOf = (req: RecordedRequest): Item[] => (JSON.parse(req.body) as { batch: Item[] }).batch;

/** A Langfuse-like 207: items for which `refuse` holds get a 400, the others a 201. */
function refusing(refuse: (item: Item) => boolean) {
  return (req: RecordedRequest): ScriptedReply => {
    const successes: unknown[] = [];
    const errors: unknown[] = [];
    for (const item of itemsOf(req)) {
      if (refuse(item)) errors.push({ id: item.id, status: 400, message: 'Invalid request data', error: 'refused by the test' });
      else successes.push({ id: item.id, status: 201 });
    }
    return { status: 207, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ successes, errors }) };
  };
}

const work = (i: number) => (item: Item) => item.type === 'event-create' && item.body.name === 'work' && item.body.metadata?.['i'] === i;

let servers: ScriptedServer[] = [];
let reporters: Reporter[] = [];
let warnings: string[] = [];

afterEach(async () => {
  await Promise.all(reporters.map((r) => r.stop(1000)));
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  reporters = [];
  warnings = [];
});

async function serve(handler: (req: RecordedRequest) => ScriptedReply): Promise<ScriptedServer> {
  const server = await startScriptedServer(handler);
  servers.push(server);
  return server;
}

const langfuse = (server: ScriptedServer, name: string) => new LangfuseSink({ baseUrl: server.url, publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', name });

function reporterFor(options: Partial<ReporterOptions>): Reporter {
  const reporter = createReporter({ flushIntervalMs: 0, attachEvents: false, retryBaseDelayMs: 20, logger: { warn: (m) => warnings.push(m) }, ...options });
  reporters.push(reporter);
  return reporter;
}

/** The numbers of events the logger's lines about `sink` account for. */
const toldLosses = (sink: string): number[] =>
  warnings.filter((w) => w.startsWith(`sink ${sink}`)).flatMap((w) => /(?:gave up on|lost|refused all) (\d+)/.exec(w)?.[1] ?? []).map(Number);

describe('LangfuseSink: refused events, counted by position', () => {
  it('two Langfuse sinks refusing different events: 7 delivered by both and 2 by one, not 8 and 1 by none', async () => {
    const a = await serve(refusing(work(3)));
    const b = await serve(refusing(work(5)));
    const reporter = reporterFor({ sinks: [langfuse(a, 'lf-a'), langfuse(b, 'lf-b')] });
    for (let i = 0; i < 8; i++) expect(reporter.log('work', { i })).toBe(true);
    await reporter.flush();

    // One batch of 9 (SESSION_START and the 8), to each server.
    expect(a.requests.map((r) => itemsOf(r).filter((i) => i.type === 'event-create').length)).toEqual([9]);
    expect(b.requests.map((r) => itemsOf(r).filter((i) => i.type === 'event-create').length)).toEqual([9]);
    const stats = reporter.stats();
    expect(stats).toMatchObject({ delivered: 7, partiallyDelivered: 2, dropped: { sendFailed: 0 } });
    expect(stats.sinks['lf-a']).toMatchObject({ state: 'healthy', delivered: 8, failed: 1, lastError: expect.stringContaining('HTTP 207') });
    expect(stats.sinks['lf-b']).toMatchObject({ state: 'healthy', delivered: 8, failed: 1 });
    // Partial refusals keep a sink healthy: health$ and the logger stay quiet until stop.
    const health = await firstValueFrom(reporter.health$);
    expect([health.sinks['lf-a']?.state, health.sinks['lf-b']?.state]).toEqual(['healthy', 'healthy']);
    expect(warnings).toEqual([]);

    expect(await reporter.stop()).toBe(true);
    // The backends hear what some sink lost: the two events, each delivered by the other sink.
    const reported = a.requests.flatMap(itemsOf).filter((i) => i.body.name === 'telemetry.health');
    expect(reported.map((i) => i.body.metadata)).toEqual([expect.objectContaining({ dropped: { partiallyDelivered: 2 }, total: 2 })]);
    const final = reporter.stats();
    expect(final).toMatchObject({ partiallyDelivered: 2, delivered: final.accepted - 2, queued: 0 });
    expect(warnings.sort()).toEqual([expect.stringMatching(/^sink lf-a lost 1 more event\(s\) \(1 in all\): /), expect.stringMatching(/^sink lf-b lost 1 more event\(s\) \(1 in all\): /)]);
  });

  it('a server refusing 11 of 11 events makes the sink failed (health$, one logger line per streak) until it takes some again', async () => {
    const server = await serve(refusing(() => true));
    const reporter = reporterFor({ sinks: [langfuse(server, 'langfuse')] });
    for (let i = 0; i < 10; i++) reporter.log('work', { i });
    await reporter.flush();

    expect(reporter.stats().sinks['langfuse']).toMatchObject({ state: 'failed', delivered: 0, failed: 11 });
    expect(reporter.stats().dropped.sendFailed).toBe(11);
    const health = await firstValueFrom(reporter.health$);
    expect(health.sinks['langfuse']).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/^langfuse: HTTP 207, 12 of 12 Langfuse items failed \(0 event\(s\) to retry, 11 rejected\)/) });
    expect(warnings).toEqual([expect.stringMatching(/^sink langfuse: the backend refused all 11 event\(s\) of a batch: langfuse: HTTP 207, 12 of 12 Langfuse items failed/)]);

    // Still refusing: counted, not told again while the streak lasts.
    for (let i = 0; i < 3; i++) reporter.log('work', { i });
    await reporter.flush();
    expect(reporter.stats().sinks['langfuse']!.failed).toBeGreaterThanOrEqual(14);
    expect(warnings).toHaveLength(1);

    // The server takes events again: recovered, and the logger hears what was lost meanwhile.
    server.setHandler(refusing(() => false));
    reporter.log('work', { i: 99 });
    await reporter.flush();
    expect(reporter.stats().sinks['langfuse']!.state).toBe('healthy');
    expect(warnings.at(-1)).toBe('sink langfuse recovered');
    expect(await reporter.stop()).toBe(true);
    // The logger's lines about the sink add up to what it lost.
    expect(toldLosses('langfuse').reduce((sum, n) => sum + n, 0)).toBe(reporter.stats().sinks['langfuse']!.failed);
    const stats = reporter.stats();
    expect(stats.accepted).toBe(stats.delivered + stats.partiallyDelivered + stats.dropped.sendFailed + stats.queued);
  });
});
