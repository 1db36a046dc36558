/**
 * `rxtel demo --endpoint URL`: the demo app against a running backend, such as `rxtel console`: a
 * session with page views, a traced checkout with a nested database span, an LLM generation and a
 * tool call, a warning, a user error and an exception with its cause, then stop.
 */
import { performance } from 'node:perf_hooks';
import { createReporter } from '../create-reporter.js';
import { delay } from '../platform/node.js';

/**
 * Runs the demo app against `endpoint`; resolves to the exit code (0 when everything was delivered).
 * @example
 * process.exitCode = await runDemoAgainst('http://127.0.0.1:4318');
 */
export async function runDemoAgainst(endpoint: string, print: (line: string) => void = console.log): Promise<number> {
  const reporter = createReporter({ endpoint, apiKey: process.env['RXTEL_API_KEY'] ?? 'demo-key', flushIntervalMs: 200, retryBaseDelayMs: 100, logger: { warn: (line) => print(`rxtel: ${line}`) } });
  print(`session ${reporter.sessionId} → ${endpoint}`);
  for (const page of ['/home', '/pricing', '/signup']) reporter.log('page.view', { page, ms: page.length * 7 });
  const checkout = reporter.startSpan('checkout', { attributes: { cart_items: 3 } });
  await checkout.run(async () => {
    reporter.log('cart.loaded', { items: 3 });
    const query = reporter.startSpan('db.query', { attributes: { table: 'orders' }, kind: 'client' });
    await delay(12); // the app's work, made visible in the waterfall: about 200 ms in all
    query.end();
    const asked = new Date();
    await delay(140);
    reporter.track({ type: 'generation', model: 'gpt-4o-mini', usage: { input_tokens: 412, output_tokens: 96 }, start_time: asked, end_time: new Date() });
    const called = performance.now();
    await delay(35);
    reporter.track({ type: 'tool_called', tool: 'search_orders', latency_ms: Math.round(performance.now() - called), success: true });
  });
  checkout.end();
  reporter.log('cache.miss', { key: 'user:123' }, 'WARNING');
  const notFound = Object.assign(new Error('Project not found'), { name: 'HTTPError', status: 404 });
  reporter.logException(new Error('could not open project', { cause: notFound }));
  reporter.logException(new Error('payment failed', { cause: new TypeError("Cannot read properties of undefined (reading 'card')") }));
  const delivered = await reporter.stop();
  const stats = reporter.stats();
  print(`stop() → ${delivered ? 'everything delivered' : 'not everything was delivered'} (${stats.delivered} events, ${stats.retries} retries)`);
  return delivered ? 0 : 1;
}
