/**
 * rxtel console in real Chromium (`npm run test:browser`): the built console as a child process,
 * the demo and OpenTelemetry's own logs SDK sending to it while the sessions list is open, then
 * one session's events, an exception's cause chain, the filters, a trace's waterfall and a
 * running session's tail. The tests run in order and share the page, as a user would.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { Browser, Page } from 'playwright-core';
import { createReporter } from '../../../src/create-reporter.js';
import { OtlpHttpSink } from '../../../src/sinks/otlp-http-sink.js';
import { launchChromium, requireBuild, requireChromium, rowAttributes, runDemo, scrollEventsToBottom, startConsole, watchedPage, type ConsoleProcess, type PageGlobals } from './harness.js';

let console_: ConsoleProcess;
let browser: Browser;
let page: Page;
let problems: string[];
/** Set by the first test. */
let demoSession = '';

const row = (id: string) => `[data-testid="session-row"][data-session-id="${id.replace(/["\\]/g, '\\$&')}"]`;

/** Waits until every event row shows and there is at least one, and every one passes `check` (run in the page). */
async function waitForRows(check: 'ERROR' | 'pricing'): Promise<void> {
  await page.waitForFunction((which) => {
    const { document } = globalThis as unknown as PageGlobals;
    const rows = Array.from(document.querySelectorAll('[data-testid="event-row"]'));
    if (rows.length === 0 || document.querySelector('[data-testid="event-row-placeholder"]') !== null) return false;
    return which === 'ERROR' ? rows.every((r) => r.getAttribute('data-severity') === 'ERROR') : rows.length === 1 && (rows[0]!.textContent ?? '').includes('/pricing');
  }, check);
}

beforeAll(async () => {
  requireBuild();
  requireChromium();
  console_ = await startConsole();
  browser = await launchChromium();
  ({ page, problems } = await watchedPage(browser));
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
});

describe('rxtel console in Chromium', () => {
  it("lists the demo's and the OTLP clients' sessions as they arrive, live on the open page, with service and status", async () => {
    await page.goto(`${console_.url}/#/`);
    await page.getByText('No sessions yet').waitFor();
    // The stream is open: what follows can only arrive through it.
    await page.locator('[data-testid="live-state"]', { hasText: /^live$/ }).waitFor();
    await page.evaluate(() => void ((globalThis as unknown as PageGlobals).__loadMark = 'first load'));

    // OpenTelemetry's own logs SDK (OTLP/HTTP, JSON), named by service only.
    const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'inventory-worker' }));
    const provider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${console_.url}/v1/logs` }) })] });
    const logger = provider.getLogger('inventory', '1.0.0');
    logger.emit({ severityNumber: 9, severityText: 'INFO', body: 'restock started', attributes: { 'event.name': 'restock.started', warehouse: 'north' } });
    logger.emit({ severityNumber: 13, severityText: 'WARN', body: 'low stock', attributes: { sku: 'A-1', left: 2 } });
    logger.emit({
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'restock failed',
      attributes: { 'exception.type': 'RangeError', 'exception.message': 'quantity out of range', 'exception.stacktrace': 'RangeError: quantity out of range\n    at restock (inventory.js:12:7)' },
    });
    // rxtel's OTLP sink: its session by id, and a trace.
    const otlp = createReporter({ sinks: [new OtlpHttpSink({ endpoint: console_.url, serviceName: 'checkout-api' })], flushIntervalMs: 50 });
    const charge = otlp.startSpan('charge', { attributes: { amount: 42 } });
    otlp.log('card.authorised', { amount: 42 });
    charge.end();

    const [demo, otlpDelivered] = await Promise.all([runDemo(console_.url), otlp.stop(), provider.shutdown()]);
    expect(demo.code).toBe(0);
    expect(otlpDelivered).toBe(true);
    demoSession = demo.sessionId;

    await page.locator(`${row(demoSession)} [data-testid="session-status"][data-status="ended"]`).waitFor();
    await page.locator(`${row(otlp.sessionId)} [data-testid="session-status"][data-status="ended"]`).waitFor();
    await page.locator(`${row('otlp:inventory-worker')} [data-testid="session-status"][data-status="running"]`).waitFor();
    const texts = async (id: string) => (await page.locator(row(id)).locator('td').allTextContents()).map((t) => t.trim());
    // Service · SDK · platform · started · duration · status · events · exceptions.
    const demoRow = await texts(demoSession);
    expect(demoRow[0]).toContain('unnamed service');
    expect(demoRow[1]).toMatch(/^rxtel \d/);
    expect(demoRow.slice(5)).toEqual(['ended', '13', '1']);
    const otlpRow = await texts(otlp.sessionId);
    expect(otlpRow[0]).toContain('checkout-api');
    expect(otlpRow[5]).toBe('ended');
    const sdkRow = await texts('otlp:inventory-worker');
    expect(sdkRow[0]).toContain('inventory-worker');
    expect(sdkRow[1]).toMatch(/^opentelemetry \d/);
    expect(sdkRow.slice(5)).toEqual(['running', '3', '1']);
    expect(await page.locator('[data-testid="session-row"]').count()).toBe(3);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__loadMark)).toBe('first load');
  });

  it("opens the demo session: its events, and the exception's stack and cause", async () => {
    expect(demoSession).not.toBe('');
    await page.locator(row(demoSession)).click();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid="event-row"]').length === 13);
    expect(await rowAttributes(page, '[data-testid="event-row"]', 'data-kind')).toEqual([
      'session_start',
      'log',
      'log',
      'log',
      'log',
      'span',
      'llm',
      'llm',
      'span',
      'log',
      'log',
      'exception',
      'session_end',
    ]);
    await page.locator('[data-testid="event-row"][data-kind="exception"]').click();
    const parts = page.locator('[data-testid="exception-part"]');
    await parts.nth(1).waitFor();
    expect(await parts.count()).toBe(2);
    expect((await parts.nth(0).locator('summary').textContent())?.trim()).toBe('Error: payment failed');
    expect(await parts.nth(0).locator('pre.stack').isVisible()).toBe(true);
    const cause = parts.nth(1);
    expect((await cause.locator('summary').textContent())?.trim()).toBe("caused by TypeError: Cannot read properties of undefined (reading 'card')");
    expect(await cause.locator('pre.stack').isVisible()).toBe(false);
    await cause.locator('summary').click();
    await cause.locator('pre.stack').waitFor({ state: 'visible' });
    // The part's own frames (its header is the summary above).
    expect(await cause.locator('pre.stack').textContent()).toMatch(/^\s+at runDemoAgainst \(/);
  });

  it('filters by severity, keeps it in the URL across a reload, and finds /pricing by text', async () => {
    await page.getByTestId('filter-severity-ERROR').click();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).location.hash.includes('severity=ERROR'));
    await waitForRows('ERROR');
    expect(await rowAttributes(page, '[data-testid="event-row"]', 'data-kind')).toEqual(['exception']);

    await page.reload();
    await waitForRows('ERROR');
    expect(await page.getByTestId('filter-severity-ERROR').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('filter-severity-WARNING').getAttribute('aria-pressed')).toBe('false');

    // None pressed is all of them again; then the text filter.
    await page.getByTestId('filter-severity-ERROR').click();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid="event-row"]').length === 13);
    await page.getByTestId('filter-text').fill('/pricing');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).location.hash.includes('q=%2Fpricing'));
    await waitForRows('pricing');
    expect(await page.locator('[data-testid="event-row"] .c-name').textContent()).toBe('page.view');
  });

  it('shows the checkout trace as a waterfall (db.query nested under checkout, the generation with its model) and the LLM calls', async () => {
    await page.getByTestId('tab-traces').click();
    const trace = page.locator('[data-testid="trace-row"]', { hasText: 'checkout' });
    await trace.waitFor();
    expect(await page.locator('[data-testid="trace-row"]').count()).toBe(1);
    await trace.click();
    await page.getByTestId('waterfall').waitFor();
    const spans = await page.locator('[data-testid="waterfall"] [role="treeitem"]').evaluateAll((rows) =>
      rows.map((r) => {
        const el = r as unknown as { getAttribute(n: string): string | null; querySelector(s: string): { textContent: string | null; style: { paddingLeft: string } } | null };
        return { level: el.getAttribute('aria-level'), name: el.querySelector('.wf-name')?.textContent ?? '', indent: el.querySelector('.wf-name')?.style.paddingLeft ?? '', label: el.querySelector('.wf-dur')?.textContent ?? '' };
      }),
    );
    const at = (prefix: string) => spans.findIndex((s) => s.name.startsWith(prefix));
    const checkout = at('checkout');
    const query = at('db.query');
    const generation = at('llm.generation');
    expect(checkout).toBe(0);
    expect(spans[checkout]!.level).toBe('1');
    expect(query).toBeGreaterThan(checkout);
    expect(spans[query]!.level).toBe('2');
    expect(parseFloat(spans[query]!.indent)).toBeGreaterThan(parseFloat(spans[checkout]!.indent));
    expect(spans[generation]!.level).toBe('2');
    expect(spans[generation]!.label).toContain('gpt-4o-mini');
    expect(spans[generation]!.label).toContain('412→96 tokens');
    // The nested bar lies within its parent's on the time axis.
    const bars = page.locator('[data-testid="span-bar"]');
    const parent = (await bars.nth(checkout).boundingBox())!;
    const child = (await bars.nth(query).boundingBox())!;
    expect(child.x).toBeGreaterThanOrEqual(parent.x - 1);
    expect(child.x + child.width).toBeLessThanOrEqual(parent.x + parent.width + 1);

    await page.locator('[data-testid="waterfall"] [role="treeitem"]').nth(generation).click();
    const detail = page.getByTestId('event-detail');
    await detail.locator('.fact', { hasText: 'model' }).locator('dd', { hasText: 'gpt-4o-mini' }).waitFor();
    expect(await detail.locator('.fact', { hasText: 'tokens in' }).locator('dd').textContent()).toBe('412');

    // The LLM tab: the generation with its model and tokens, the tool call with its tool.
    await page.getByTestId('tab-llm').click();
    const calls = page.locator('[data-testid="llm-row"]');
    await calls.nth(1).waitFor();
    expect(await calls.count()).toBe(2);
    const cells = async (i: number) => (await calls.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    expect((await cells(0)).slice(1, 6)).toEqual(['generation', 'llm.generation', 'gpt-4o-mini', '412', '96']);
    expect((await cells(1)).slice(1, 4)).toEqual(['tool', 'llm.tool.called', 'tool search_orders']);
  });

  it("follows a running session's tail: new events show at the bottom without a reload", async () => {
    const reporter = createReporter({ endpoint: console_.url, flushIntervalMs: 20 });
    try {
      for (let i = 0; i < 80; i++) reporter.log('warmup', { i });
      expect((await reporter.flush()).pending).toBe(0);
      await page.goto(`${console_.url}/#/sessions/${reporter.sessionId}`);
      await page.locator('[data-testid="event-row"]').first().waitFor();
      await scrollEventsToBottom(page);
      await page.locator('[data-testid="event-row"][data-seq="80"]').waitFor();
      await page.evaluate(() => void ((globalThis as unknown as PageGlobals).__loadMark = 'tail'));

      for (let i = 0; i < 20; i++) reporter.log('live.tail', { i });
      await page.locator('[data-testid="event-row"][data-seq="100"]').waitFor();
      expect(await page.locator('[data-testid="event-row"][data-seq="100"] .c-name').textContent()).toBe('live.tail');
      const atBottom = () =>
        page.evaluate(() => {
          const scroller = (globalThis as unknown as PageGlobals).document.querySelector('[data-testid="event-scroller"]')!;
          return scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
        });
      expect(await atBottom()).toBe(true);

      expect(await reporter.stop()).toBe(true);
      await page.locator('[data-testid="event-row"][data-kind="session_end"]').waitFor();
      await page.locator('[data-testid="session-header"] [data-testid="session-status"][data-status="ended"]').waitFor();
      expect(await atBottom()).toBe(true);
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__loadMark)).toBe('tail');
    } finally {
      await reporter.stop();
    }
  });

  it('saw no dialog, no page error and no console error', () => {
    expect(problems).toEqual([]);
  });
});
