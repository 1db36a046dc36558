/**
 * Hostile payloads stay text in every view (issue 19, Security): an rxtel reporter (Tinker) and
 * OpenTelemetry clients (the logs SDK, rxtel's OTLP sink) send `<script>`, `<img onerror>`,
 * `<svg onload>` and `javascript:` strings as event names, data keys and values, an exception's
 * type, message and stack, span names, an LLM model and tool, a sink's name and error, OTLP
 * attributes and `service.name`. Chromium visits the sessions list and each session's events
 * (every row opened, every exception part and data node expanded), traces and waterfalls (every
 * span opened), LLM calls and health: nothing runs, nothing is injected, the payloads read as text.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { Browser, Page } from 'playwright-core';
import { filter, firstValueFrom } from 'rxjs';
import { createReporter } from '../../../src/create-reporter.js';
import type { Sink } from '../../../src/sinks/sink.js';
import { OtlpHttpSink } from '../../../src/sinks/otlp-http-sink.js';
import { TinkerHttpSink } from '../../../src/sinks/tinker-http-sink.js';
import { launchChromium, requireBuild, requireChromium, startConsole, watchedPage, type ConsoleProcess, type PageGlobals } from './harness.js';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const SVG = '<svg onload=window.__pwned=1>';
const JS_URL = 'javascript:window.__pwned=1';
const IFRAME = `<iframe src="${JS_URL}"></iframe>`;
const STACK = `${SVG}: ${IMG}\n    at ${SCRIPT} (${JS_URL}:1:1)\n    at <a href="${JS_URL}">x</a> (file:///${IFRAME}:2:2)`;

let console_: ConsoleProcess;
let browser: Browser;
let page: Page;
let problems: string[];
const sessions: string[] = [];

/** Sends every payload through each client; resolves with the sessions they made. */
async function sendHostile(url: string): Promise<string[]> {
  // rxtel over the Tinker wire, with a second sink (hostile name and error) that always fails: health and sink_health.
  const failing: Sink = { name: IMG, export: async () => ({ status: 'failure', error: new Error(SCRIPT) }), shutdown: async () => undefined };
  const tinker = createReporter({ sinks: [new TinkerHttpSink({ endpoint: url }), failing], maxRetries: 0, flushIntervalMs: 20, logger: { warn: () => undefined } });
  const told = firstValueFrom(tinker.events$.pipe(filter((event) => 'event_name' in event && event.event_name === 'telemetry.sink_health')));
  tinker.log(IMG, { [SCRIPT]: SVG, link: JS_URL, nested: { [IMG]: [SCRIPT, JS_URL, IFRAME] } }, 'WARNING');
  await tinker.flush();
  await told;
  tinker.log(SCRIPT, { html: IMG, [SVG]: { [JS_URL]: IFRAME } });
  const outer = tinker.startSpan(SVG, { attributes: { [IMG]: SCRIPT, href: JS_URL } });
  await outer.run(async () => {
    tinker.startSpan(IMG, { attributes: { [SVG]: IFRAME } }).end();
    const ended = new Date();
    tinker.track({ type: 'generation', model: IMG, usage: { input_tokens: 1, output_tokens: 2 }, start_time: new Date(ended.getTime() - 5), end_time: ended });
    tinker.track({ type: 'tool_called', tool: SCRIPT, latency_ms: 3, success: false });
  });
  outer.end();
  const error = Object.assign(new Error(IMG, { cause: new TypeError(SCRIPT) }), { name: SVG });
  error.stack = STACK;
  tinker.logException(error);
  await tinker.stop();

  // OpenTelemetry's logs SDK: hostile service.name (its session id), attributes, body and exception.*.
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': IMG, [SCRIPT]: SVG }),
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url}/v1/logs` }) })],
  });
  const logger = provider.getLogger(SCRIPT);
  logger.emit({ severityNumber: 9, body: SCRIPT, attributes: { 'event.name': SVG, [IMG]: JS_URL, [SCRIPT]: IFRAME } });
  logger.emit({ severityNumber: 17, severityText: 'ERROR', body: IFRAME, attributes: { 'exception.type': SVG, 'exception.message': IMG, 'exception.stacktrace': STACK, [JS_URL]: SCRIPT } });
  await provider.shutdown();

  // rxtel's OTLP sink: a hostile service.name, span names and attributes and an LLM model over /v1/traces.
  const otlp = createReporter({ sinks: [new OtlpHttpSink({ endpoint: url, serviceName: SVG })], flushIntervalMs: 20 });
  const span = otlp.startSpan(SCRIPT, { attributes: { [IMG]: JS_URL } });
  await span.run(async () => {
    otlp.startSpan(IFRAME).end();
    const ended = new Date();
    otlp.track({ type: 'generation', model: SVG, usage: { input_tokens: 3, output_tokens: 4 }, start_time: new Date(ended.getTime() - 5), end_time: ended });
  });
  span.end();
  otlp.log(JS_URL, { [IMG]: SCRIPT }, 'ERROR');
  expect(await otlp.stop()).toBe(true);
  return [tinker.sessionId, `otlp:${IMG}`, otlp.sessionId];
}

/** What the app root holds that it should not: elements no view of the UI makes, and inline handlers. */
function injected(p: Page) {
  return p.evaluate(() => {
    const { document, __pwned } = globalThis as unknown as PageGlobals;
    const all = Array.from(document.querySelectorAll('*'));
    return {
      pwned: __pwned,
      img: document.querySelectorAll('img').length,
      svg: document.querySelectorAll('svg').length,
      iframe: document.querySelectorAll('iframe, frame, object, embed').length,
      scripts: Array.from(document.scripts).map((s) => s.src.replace(/^https?:\/\/[^/]+/, '')),
      handlers: all.filter((el) => Array.from(el.attributes).some((a) => a.name.toLowerCase().startsWith('on'))).map((el) => el.tagName),
      jsLinks: all.filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? '') || /^\s*javascript:/i.test(el.getAttribute('src') ?? '')).length,
    };
  });
}

async function expectNothingRan(where: string): Promise<void> {
  expect({ where, ...(await injected(page)) }).toEqual({ where, pwned: undefined, img: 0, svg: 0, iframe: 0, scripts: ['/app.js'], handlers: [], jsLinks: 0 });
}

/** The payloads read as text somewhere in the page. */
async function expectPayloadsAsText(...payloads: string[]): Promise<void> {
  for (const payload of payloads) await page.getByText(payload, { exact: false }).first().waitFor({ state: 'visible' });
}

/** Clicks what opens more, up to `max` times: details closed so far (exception parts, data nodes). */
async function expandAll(max = 60): Promise<void> {
  const closed = page.locator('[data-testid="event-detail"] details:not([open]) > summary');
  for (let i = 0; i < max && (await closed.count()) > 0; i++) await closed.first().click();
}

beforeAll(async () => {
  requireBuild();
  requireChromium();
  console_ = await startConsole();
  browser = await launchChromium();
  ({ page, problems } = await watchedPage(browser));
  sessions.push(...(await sendHostile(console_.url)));
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
});

describe('rxtel console in Chromium: hostile payloads', () => {
  it('the sessions list shows hostile service names as text', async () => {
    await page.goto(`${console_.url}/#/`);
    for (const id of sessions) await page.locator(`[data-testid="session-row"][data-session-id="${id.replace(/["\\]/g, '\\$&')}"]`).waitFor();
    await expectPayloadsAsText('<img src=x onerror', '<svg onload=window.__pwned=1>');
    await expectNothingRan('sessions list');
  });

  it('every event of every session, opened and expanded, stays text', async () => {
    for (const id of sessions) {
      await page.goto(`${console_.url}/#/sessions/${encodeURIComponent(id)}/events`);
      await page.getByTestId('session-header').getByText(id, { exact: true }).waitFor();
      await page.locator('[data-testid="event-row"]').first().waitFor();
      const rows = page.locator('[data-testid="event-row"]');
      const n = await rows.count();
      for (let i = 0; i < n; i++) {
        const seq = await rows.nth(i).getAttribute('data-seq');
        await rows.nth(i).click();
        await page.locator(`[data-testid="event-detail"] .detail-body`).waitFor();
        await page.waitForFunction((s) => (globalThis as unknown as PageGlobals).location.hash.endsWith(`ev=${s}`), seq);
        await expandAll();
      }
      await expectNothingRan(`events of ${id}`);
    }
    // The last session's last event, and the first sessions' exceptions, read back as text.
    await page.goto(`${console_.url}/#/sessions/${encodeURIComponent(sessions[0]!)}/events?kind=exception`);
    await page.locator('[data-testid="event-row"][data-kind="exception"]').click();
    await page.locator('[data-testid="exception-part"]').first().waitFor();
    await expandAll();
    await expectPayloadsAsText('<img src=x onerror', '<svg onload=window.__pwned=1>', `at ${SCRIPT}`, '<iframe src="javascript:');
    await expectNothingRan('exception detail');
  });

  it('searching for a payload finds it, and the filter in the URL stays text', async () => {
    await page.goto(`${console_.url}/#/sessions/${encodeURIComponent(sessions[0]!)}/events`);
    await page.locator('[data-testid="event-row"]').first().waitFor();
    await page.getByTestId('filter-text').fill('<img src=x');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).location.hash.includes('q=%3Cimg'));
    await page.locator('[data-testid="event-row"]', { hasText: '<img src=x onerror' }).first().waitFor();
    await page.reload();
    await page.locator('[data-testid="event-row"]', { hasText: '<img src=x onerror' }).first().waitFor();
    expect(await page.getByTestId('filter-text').inputValue()).toBe('<img src=x');
    await expectNothingRan('text filter');
  });

  it('traces, their waterfalls and every span stay text', async () => {
    for (const id of [sessions[0]!, sessions[2]!]) {
      await page.goto(`${console_.url}/#/sessions/${encodeURIComponent(id)}/traces`);
      const traces = page.locator('[data-testid="trace-row"]');
      await traces.first().waitFor();
      const ids = await traces.evaluateAll((rows) => rows.map((r) => (r as unknown as { getAttribute(n: string): string | null }).getAttribute('data-trace-id') ?? ''));
      for (const trace of ids) {
        await page.goto(`${console_.url}/#/sessions/${encodeURIComponent(id)}/traces/${encodeURIComponent(trace)}`);
        await page.getByTestId('waterfall').waitFor();
        const spans = page.locator('[data-testid="waterfall"] [role="treeitem"]');
        const n = await spans.count();
        for (let i = 0; i < n; i++) {
          await spans.nth(i).click();
          await page.locator('[data-testid="event-detail"] .detail-body').waitFor();
          await expandAll();
        }
      }
      await expectNothingRan(`traces of ${id}`);
    }
    await expectPayloadsAsText(SCRIPT, IFRAME);
  });

  it('LLM calls with hostile models and tools stay text', async () => {
    for (const id of [sessions[0]!, sessions[2]!]) {
      await page.goto(`${console_.url}/#/sessions/${encodeURIComponent(id)}/llm`);
      const rows = page.locator('[data-testid="llm-row"]');
      await rows.first().waitFor();
      const n = await rows.count();
      for (let i = 0; i < n; i++) {
        await rows.nth(i).click();
        await page.locator('[data-testid="event-detail"] .detail-body').waitFor();
        await expandAll();
      }
      await expectNothingRan(`LLM of ${id}`);
    }
    await expectPayloadsAsText('<svg onload=window.__pwned=1>');
  });

  it("the health panel shows a hostile sink's name and error as text", async () => {
    await page.goto(`${console_.url}/#/sessions/${encodeURIComponent(sessions[0]!)}/health`);
    await page.getByTestId('sink-table').waitFor();
    await page.getByTestId('drops-table').waitFor();
    await expectPayloadsAsText('<img src=x onerror', SCRIPT);
    await expectNothingRan('health');
  });

  it('ran nothing: no dialog, no page error, no console error (a CSP refusal would be one)', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});
