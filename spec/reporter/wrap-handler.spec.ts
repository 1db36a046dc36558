/**
 * `reporter.wrapHandler`: a reporter reused across invocations of a function (Lambda, Vercel,
 * Cloud Run, Cloudflare). The simulated function host calls the wrapped handler back to back with
 * no event-loop turns between calls beyond what each call awaits: the freeze, in which the
 * reporter's own timers never get to run (flushIntervalMs is a minute here). A real loopback
 * server is the backend; the budget's exact timing is checked in virtual time.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createReporter } from '../../src/create-reporter.js';
import { ConfigError } from '../../src/errors/config-error.js';
import type { ReporterOptions } from '../../src/config/options.js';
import type { FlushResult, Reporter } from '../../src/reporter/types.js';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../helpers/scripted-http-server.js';
import { virtualReporter } from '../helpers/virtual-reporter.js';

interface WireEvent {
  readonly event: string;
  readonly event_name?: string;
  readonly event_data?: Record<string, unknown>;
  readonly error_message?: string;
}

const eventsOf = (requests: readonly RecordedRequest[]): WireEvent[] => requests.flatMap((r) => (JSON.parse(r.body) as { events: WireEvent[] }).events);
const namesAt = (server: ScriptedServer): string[] => eventsOf(server.requests).map((e) => e.event_name ?? e.event);

/** A promise and the function that resolves it: a gate a test opens when it chooses. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const ok = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"accepted"}' };

let server: ScriptedServer | undefined;
let reporter: Reporter | undefined;
afterEach(async () => {
  await reporter?.stop(200);
  await server?.close();
  reporter = undefined;
  server = undefined;
});

async function host(options: Partial<ReporterOptions> = {}) {
  server = await startScriptedServer();
  // The reporter's own timers never cut a batch here: only the wrapper's flush sends.
  reporter = createReporter({ endpoint: server.url, flushIntervalMs: 60_000, flushThreshold: 1000, retryBaseDelayMs: 10, logger: { warn: () => undefined }, ...options });
  return { server, reporter };
}

describe('a simulated function host (one reporter, many invocations, frozen between them)', () => {
  it('delivers every invocation’s events before its call returns, and answers the handler’s result', async () => {
    const { server, reporter } = await host();
    const handler = reporter.wrapHandler(async (event: { readonly i: number }) => {
      reporter.log('invocation.start', { i: event.i });
      await Promise.resolve();
      reporter.log('invocation.end', { i: event.i });
      return { statusCode: 200, body: `done ${event.i}` };
    });
    for (let i = 0; i < 25; i++) {
      const answer = await handler({ i });
      // Checked in the continuation, before any other turn of the loop: the freeze.
      expect(answer).toEqual({ statusCode: 200, body: `done ${i}` });
      const mine = eventsOf(server.requests).filter((e) => e.event_data?.['i'] === i);
      expect(mine.map((e) => e.event_name)).toEqual(['invocation.start', 'invocation.end']);
    }
    expect(reporter.stats()).toMatchObject({ accepted: 51, delivered: 51, queued: 0 });
  }, 20_000);

  it('keeps a sync handler’s arguments and `this`, and answers a promise of its value', async () => {
    const { server, reporter } = await host();
    const target = {
      factor: 3,
      handle(this: { factor: number }, a: number, b: string): string {
        reporter.log('sync.handler');
        return `${a * this.factor}${b}`;
      },
    };
    const wrapped = reporter.wrapHandler(target.handle);
    expect(await wrapped.call(target, 2, 'x')).toBe('6x');
    expect(namesAt(server)).toContain('sync.handler');
  });

  it('logs what the handler throws, delivers it, and re-throws the same value (sync throw and rejection)', async () => {
    const { server, reporter } = await host();
    const error = new Error('handler failed');
    const rejecting = reporter.wrapHandler(async () => {
      reporter.log('before.failure');
      await Promise.resolve();
      throw error;
    });
    await expect(rejecting()).rejects.toBe(error);
    // Delivered before the rejection reached the caller.
    expect(eventsOf(server.requests).filter((e) => e.event === 'UNHANDLED_EXCEPTION').map((e) => e.error_message)).toEqual(['handler failed']);

    const notAnError = { code: 'E_THROWN_OBJECT' };
    const throwing = reporter.wrapHandler((): number => {
      throw notAnError;
    });
    await expect(throwing()).rejects.toBe(notAnError);
    expect(eventsOf(server.requests).filter((e) => e.event === 'UNHANDLED_EXCEPTION')).toHaveLength(2);
  });

  it('concurrent invocations (Cloud Run): each returns once its own events are delivered, not waiting for a longer one', async () => {
    const { server, reporter } = await host();
    const slow = gate();
    const handler = reporter.wrapHandler(async (name: string, wait?: Promise<void>) => {
      reporter.log(`${name}.first`);
      await wait;
      reporter.log(`${name}.last`);
      return name;
    });
    const a = handler('a', slow.opened);
    const b = handler('b');
    expect(await b).toBe('b');
    expect(namesAt(server)).toEqual(expect.arrayContaining(['a.first', 'b.first', 'b.last']));
    expect(namesAt(server)).not.toContain('a.last'); // A is still running: B did not wait for it
    slow.open();
    expect(await a).toBe('a');
    expect(namesAt(server)).toContain('a.last');
  });

  it('an invocation that ended does not wait for events logged after its end, even when their batch hangs', async () => {
    const { server, reporter } = await host();
    server.setHandler((req) => (req.body.includes('late.event') ? { hang: true } : ok));
    const late = gate();
    const handler = reporter.wrapHandler(
      async (name: string, wait?: Promise<void>) => {
        reporter.log(`${name}.event`);
        await wait;
        if (name === 'late') reporter.log('late.event');
        return name;
      },
      { flushBudgetMs: 150 },
    );
    const slowOne = handler('late', late.opened);
    const quick = handler('quick');
    expect(await quick).toBe('quick');
    late.open();
    const started = performance.now();
    expect(await slowOne).toBe('late'); // its own event hangs: it answers at its budget
    expect(performance.now() - started).toBeLessThan(150 + 500);
  });
});

describe('the budget against a backend that accepts and never answers', () => {
  it('answers at the budget exactly (virtual time), with the flush’s pending count handed to waitUntil when given', async () => {
    const { reporter, settledAt, scheduler } = virtualReporter({ options: { flushIntervalMs: 60_000 }, fallback: { hang: true } });
    const handler = reporter.wrapHandler(() => {
      reporter.log('hung.event');
      return 'answer';
    }, { flushBudgetMs: 750 });
    const answer = handler();
    await nextTurn(); // the handler's continuation (which starts the flush) runs; virtual time stays at 0
    const { value, atMs } = await settledAt(answer);
    expect(value).toBe('answer');
    expect(atMs).toBe(750);

    let flushed: Promise<FlushResult> | undefined;
    const handedOver = reporter.wrapHandler(() => reporter.log('another'), { flushBudgetMs: 400, waitUntil: (p) => (flushed = p) });
    const start = scheduler.now();
    const pendingAnswer = handedOver();
    await nextTurn();
    const answered = await settledAt(pendingAnswer);
    expect(answered.atMs).toBe(start); // the answer did not wait
    const result = await settledAt(flushed!);
    expect(result.atMs).toBe(start + 400);
    // SESSION_START, the first invocation's event (still hung) and this one's.
    expect(result.value).toEqual({ pending: 3 });
  });

  it('answers within the budget on a real clock, and what was pending goes out with the next invocation', async () => {
    const { server, reporter } = await host({ httpTimeoutMs: 300 });
    server.setHandler(() => ({ hang: true }));
    const handler = reporter.wrapHandler(async (i: number) => {
      reporter.log('invocation', { i });
      return i;
    }, { flushBudgetMs: 200 });
    const started = performance.now();
    expect(await handler(0)).toBe(0);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(195);
    expect(took).toBeLessThan(200 + 300);
    expect(reporter.stats().delivered).toBe(0);

    // The backend recovers; the next invocation's flush also waits for what the last one left queued.
    server.setHandler(() => ok);
    expect(await handler(1)).toBe(1);
    expect(reporter.stats()).toMatchObject({ accepted: 3, delivered: 3, queued: 0 });
  }, 10_000);
});

describe('with the platform’s waitUntil (Vercel, Cloudflare)', () => {
  it('answers at once and hands waitUntil a promise that resolves after the flush, with the handler’s arguments', async () => {
    const { server, reporter } = await host();
    const backend = gate();
    server.setHandler(async () => {
      await backend.opened;
      return ok;
    });
    const handedOver: Array<{ flushed: Promise<FlushResult>; ctx: string }> = [];
    const handler = reporter.wrapHandler(
      async (request: string, _ctx: { readonly id: string }) => {
        reporter.log('edge.request', { request });
        return `answer to ${request}`;
      },
      { waitUntil: (flushed, _request, ctx) => handedOver.push({ flushed, ctx: ctx.id }) },
    );
    // The backend has not answered yet: a wrapper that waited for the flush would never resolve here.
    expect(await handler('GET /', { id: 'ctx-1' })).toBe('answer to GET /');
    expect(handedOver.map((h) => h.ctx)).toEqual(['ctx-1']);
    let settled = false;
    void handedOver[0]!.flushed.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    backend.open();
    expect(await handedOver[0]!.flushed).toEqual({ pending: 0 });
    expect(namesAt(server)).toContain('edge.request');
  });

  it('re-throws at once and still hands over the flush with the exception; a throwing hook changes nothing', async () => {
    const { server, reporter } = await host();
    const error = new TypeError('bad input');
    let flushed: Promise<FlushResult> | undefined;
    const failing = reporter.wrapHandler(
      async () => {
        throw error;
      },
      { waitUntil: (p) => (flushed = p) },
    );
    await expect(failing()).rejects.toBe(error);
    expect(await flushed).toEqual({ pending: 0 });
    expect(eventsOf(server.requests).map((e) => e.error_message)).toContain('bad input');

    const brokenHook = reporter.wrapHandler(() => 'still answered', {
      waitUntil: () => {
        throw new Error('platform hook failed');
      },
    });
    expect(await brokenHook()).toBe('still answered');
  });
});

describe('options and the disabled reporter', () => {
  it('refuses bad options with a ConfigError naming the option and the value', () => {
    const reporter = createReporter({ enabled: false });
    const handler = () => undefined;
    expect(() => reporter.wrapHandler(handler, { flushBudgetMs: -1 })).toThrow(ConfigError);
    expect(() => reporter.wrapHandler(handler, { flushBudgetMs: 1.5 })).toThrow(/`flushBudgetMs` of wrapHandler.*1\.5/);
    expect(() => reporter.wrapHandler(handler, { waitUntil: 'yes' as never })).toThrow(/`waitUntil` of wrapHandler/);
    expect(() => reporter.wrapHandler(handler, { flushBudget: 100 } as never)).toThrow(/did you mean `flushBudgetMs`/);
  });

  it('a disabled reporter’s wrapper only calls the handler (and still re-throws)', async () => {
    const reporter = createReporter({ enabled: false });
    expect(await reporter.wrapHandler((a: number) => a + 1)(1)).toBe(2);
    const error = new Error('x');
    await expect(
      reporter.wrapHandler(() => {
        throw error;
      })(),
    ).rejects.toBe(error);
  });
});
