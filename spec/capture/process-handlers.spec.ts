/**
 * Real child processes with the handlers installed, against the real receiver. Each test waits
 * for the child's exit; jest's timeout is the only clock.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startReceiver, type Receiver } from '../../src/receiver/receiver.js';
import { createReporter } from '../../src/create-reporter.js';
import { installProcessHandlers } from '../../src/capture/process-handlers.js';
import { runFixture } from '../helpers/child-process.js';

const runChild = (mode: string, url: string, onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void) =>
  runFixture('process-handlers.ts', [mode], { RECEIVER_URL: url }, onStdout);

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const kinds = () => receiver.events.map((e) => e.event);

describe('installProcessHandlers (child processes)', () => {
  it('an uncaught exception delivers the exception and SESSION_END, then exits 1 printing the error', async () => {
    const exit = await runChild('uncaught', receiver.url);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('TypeError: uncaught boom');
    expect(kinds()).toEqual(['SESSION_START', 'GENERIC_EVENT', 'UNHANDLED_EXCEPTION', 'SESSION_END']);
    expect(receiver.events[2]).toMatchObject({ severity: 'CRITICAL', error_type: 'TypeError', error_message: 'uncaught boom' });
  }, 20_000);

  it('an unhandled rejection does the same (Node’s default mode: throw)', async () => {
    const exit = await runChild('rejection', receiver.url);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('RangeError: rejected boom');
    expect(kinds()).toEqual(['SESSION_START', 'GENERIC_EVENT', 'UNHANDLED_EXCEPTION', 'SESSION_END']);
  }, 20_000);

  it('with --unhandled-rejections=warn a rejection is reported, warned about, and the process lives on', async () => {
    const exit = await runFixture('process-handlers.ts', ['rejection'], { RECEIVER_URL: receiver.url, NODE_OPTIONS: '--unhandled-rejections=warn' });
    expect(exit.code).toBe(0);
    expect(exit.stderr).toContain('unhandled rejection: RangeError: rejected boom');
    // Not fatal: the process went on, then ended by itself; beforeExit ended the session.
    expect(kinds()).toEqual(['SESSION_START', 'GENERIC_EVENT', 'UNHANDLED_EXCEPTION', 'SESSION_END']);
  }, 20_000);

  it('SIGTERM delivers the pending events and SESSION_END, then the process ends by the signal', async () => {
    const exit = await runChild('sigterm', receiver.url, (text, kill) => {
      if (text.includes('ready')) kill('SIGTERM');
    });
    expect(exit.signal).toBe('SIGTERM');
    expect(kinds()).toEqual(['SESSION_START', 'GENERIC_EVENT', 'SESSION_END']);
  }, 20_000);

  it('a process that simply ends ends its session on beforeExit: what is queued and SESSION_END, once', async () => {
    const exit = await runChild('exit-naturally', receiver.url);
    expect(exit.code).toBe(0);
    expect(kinds()).toEqual(['SESSION_START', 'GENERIC_EVENT', 'GENERIC_EVENT', 'SESSION_END']);
    expect(receiver.duplicates).toBe(0);
  }, 20_000);

  it('the handlers’ budget does not shorten the application’s own stop(longer)', async () => {
    // The backend answers after 1 s; the handler gives up after 300 ms; the app waits up to 5 s.
    receiver.inject({ delayMs: 1000 });
    const exit = await runFixture('process-handlers.ts', ['sigterm-app-stops'], { RECEIVER_URL: receiver.url, FATAL_TIMEOUT_MS: '300' }, (text, kill) => {
      if (text.includes('ready')) kill('SIGTERM');
    });
    expect(exit.code).toBe(0);
    const answer = JSON.parse(exit.stdout.split('\n').find((line) => line.startsWith('{')) ?? '{}') as { delivered?: boolean; ms?: number };
    expect(answer.delivered).toBe(true);
    expect(answer.ms).toBeGreaterThanOrEqual(900);
    expect(kinds()).toEqual(['SESSION_START', 'GENERIC_EVENT', 'SESSION_END']);
  }, 20_000);

  it('an application with its own uncaughtException listener is not killed', async () => {
    const exit = await runChild('app-listener', receiver.url);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('app handled: handled by the app');
    expect(exit.stdout).toContain('still alive');
    expect(kinds()).toEqual(['SESSION_START', 'GENERIC_EVENT', 'UNHANDLED_EXCEPTION', 'SESSION_END']);
  }, 20_000);
});

describe('installProcessHandlers (in process)', () => {
  it('is harmless twice and on a disabled reporter, and uninstalls its listeners', async () => {
    const before = process.listenerCount('uncaughtException');
    const reporter = createReporter({ endpoint: receiver.url });
    const uninstall = installProcessHandlers(reporter);
    expect(installProcessHandlers(reporter)).toBe(uninstall);
    expect(process.listenerCount('uncaughtException')).toBe(before + 1);
    uninstall();
    expect(process.listenerCount('uncaughtException')).toBe(before);
    const disabled = createReporter({ enabled: false });
    installProcessHandlers(disabled)();
    expect(process.listenerCount('uncaughtException')).toBe(before);
    await reporter.stop();
  });
});
