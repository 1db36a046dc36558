/**
 * The Health tab in Chromium for a client that lost events: a reporter with a tiny queue (queueFull),
 * a beforeSend that drops some events (filtered) and a second sink that always fails (its state
 * changes reach the console as telemetry.sink_health, its losses as partiallyDelivered).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { filter, firstValueFrom } from 'rxjs';
import { createReporter } from '../../../src/create-reporter.js';
import type { Sink } from '../../../src/sinks/sink.js';
import { TinkerHttpSink } from '../../../src/sinks/tinker-http-sink.js';
import { launchChromium, requireBuild, requireChromium, startConsole, watchedPage, type ConsoleProcess } from './harness.js';

let console_: ConsoleProcess;
let browser: Browser;

beforeAll(async () => {
  requireBuild();
  requireChromium();
  console_ = await startConsole();
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await console_?.stop();
});

/** A sink whose backend is always down, for good (no retries). */
const broken: Sink = {
  name: 'archive',
  export: async () => ({ status: 'failure', error: new Error('archive backend is down') }),
  shutdown: async () => undefined,
};

describe('rxtel console in Chromium: the Health tab', () => {
  it('shows what a client lost, by reason, and its sink states', async () => {
    const reporter = createReporter({
      sinks: [new TinkerHttpSink({ endpoint: console_.url }), broken],
      maxQueueSize: 8,
      terminalReserve: 1,
      maxRetries: 0,
      flushIntervalMs: 20,
      logger: { warn: () => undefined },
      beforeSend: (event) => ('event_name' in event && event.event_name.startsWith('secret.') ? null : event),
    });
    // The broken sink fails (healthy → failed, told to the console as telemetry.sink_health while the queue has room).
    const told = firstValueFrom(reporter.events$.pipe(filter((event) => 'event_name' in event && event.event_name === 'telemetry.sink_health')));
    reporter.log('before');
    await reporter.flush();
    await told;
    await reporter.flush();
    reporter.log('secret.token', { n: 1 });
    reporter.log('secret.token', { n: 2 });
    // More than the queue holds, at once.
    for (let i = 0; i < 30; i++) reporter.log('burst', { i });
    await reporter.flush();
    reporter.log('after.burst');
    await reporter.stop();
    const { dropped } = reporter.stats();
    expect(dropped.filtered).toBe(2);
    expect(dropped.queueFull).toBeGreaterThan(0);

    const { page, problems } = await watchedPage(browser);
    await page.goto(`${console_.url}/#/sessions/${reporter.sessionId}/health`);
    const table = page.getByTestId('drops-table');
    await table.waitFor();
    const count = async (reason: string) => (await table.locator(`tr[data-reason="${reason}"] td`).nth(2).textContent())?.trim();
    expect(await count('queueFull')).toBe(String(dropped.queueFull));
    expect(await count('filtered')).toBe('2');
    expect(await table.locator('tr[data-reason="queueFull"]').textContent()).toContain('the queue was full');
    // The broken sink lost what the console got: partially delivered.
    expect(Number(await count('partiallyDelivered'))).toBeGreaterThan(0);
    const sinks = page.getByTestId('sink-table');
    await sinks.waitFor();
    expect(await sinks.locator('tbody tr', { hasText: 'archive' }).first().textContent()).toContain('archive backend is down');
    expect(await sinks.locator('tbody tr').first().locator('td').nth(2).textContent()).toMatch(/healthy → (degraded|failed)/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says "no losses" for a client that lost nothing', async () => {
    const reporter = createReporter({ endpoint: console_.url, flushIntervalMs: 20 });
    reporter.log('fine');
    expect(await reporter.stop()).toBe(true);
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${console_.url}/#/sessions/${reporter.sessionId}/health`);
    await page.getByTestId('no-losses').waitFor();
    expect(await page.getByTestId('drops-table').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
