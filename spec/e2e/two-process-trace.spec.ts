import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startReceiver, type Receiver, type StoredEvent } from '../../src/receiver/receiver.js';
import { runFixture, type ChildExit } from '../helpers/child-process.js';

interface Service {
  readonly url: string;
  stop(): Promise<ChildExit>;
}

/** Starts spec/fixtures/traced-service.ts as a child process and resolves once it listens. */
function startService(receiverUrl: string, args: readonly string[]): Promise<Service> {
  return new Promise((resolve, reject) => {
    let kill: ((signal: NodeJS.Signals) => void) | undefined;
    const exit = runFixture('traced-service.ts', args, { RECEIVER_URL: receiverUrl }, (text, killer) => {
      const port = /port=(\d+)/.exec(text)?.[1];
      if (port !== undefined && kill === undefined) {
        kill = killer;
        resolve({
          url: `http://127.0.0.1:${port}`,
          stop: () => {
            killer('SIGTERM');
            return exit;
          },
        });
      }
    });
    exit.then((result) => reject(new Error(`service ${args[0]} exited before listening: ${result.stderr}`)), reject);
  });
}

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

type Generic = Extract<StoredEvent, { event: 'GENERIC_EVENT' }>;
const generic = (events: StoredEvent[]) => events.filter((e): e is Generic => e.event === 'GENERIC_EVENT');

describe('a trace across two processes', () => {
  it('service A calls service B through instrumented fetch: the receiver holds one trace, B’s server span under A’s client span', async () => {
    const b = await startService(receiver.url, ['B']);
    const a = await startService(receiver.url, ['A', b.url]);
    const response = await fetch(`${a.url}/order`);
    expect(await response.text()).toBe('A>B');
    const [exitA, exitB] = await Promise.all([a.stop(), b.stop()]);
    expect(exitA.stdout).toContain('stopped true');
    expect(exitB.stdout).toContain('stopped true');

    const events = generic(receiver.events);
    const spans = events.filter((e) => e.event_name === 'span');
    const ofKind = (kind: string) => spans.filter((s) => s.event_data['kind'] === kind);
    const serverA = ofKind('server').find((s) => s.event_data['parent_span_id'] === undefined);
    const serverB = ofKind('server').find((s) => s.event_data['parent_span_id'] !== undefined);
    const [clientA] = ofKind('client');
    expect(spans).toHaveLength(3);
    const traceId = serverA!.event_data['trace_id'];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(serverA!.event_data).not.toHaveProperty('parent_span_id');
    expect(clientA!.event_data).toMatchObject({ trace_id: traceId, parent_span_id: serverA!.event_data['span_id'] });
    expect(serverB!.event_data).toMatchObject({ trace_id: traceId, parent_span_id: clientA!.event_data['span_id'], attributes: { 'url.path': '/work' } });
    // Two reporters, two sessions, one trace; each service's log joined its own server span.
    expect(serverA!.session_id).toBe(clientA!.session_id);
    expect(serverB!.session_id).not.toBe(serverA!.session_id);
    const logA = events.find((e) => e.event_name === 'A.handled')!;
    const logB = events.find((e) => e.event_name === 'B.handled')!;
    expect(logA.event_data).toEqual({ trace_id: traceId, span_id: serverA!.event_data['span_id'] });
    expect(logB.event_data).toEqual({ trace_id: traceId, span_id: serverB!.event_data['span_id'] });
  });
});
