import { describe, expect, it } from '@jest/globals';
import { delay } from '../../src/platform/node.js';

const timersKeepingAlive = (): number => process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;

describe('delay', () => {
  it('resolves after the time (a negative time counts as 0)', async () => {
    const started = performance.now();
    await delay(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    await expect(delay(-5)).resolves.toBeUndefined();
  });

  it('rejects with an AbortError when its signal aborts, at once when it already has', async () => {
    const controller = new AbortController();
    const pending = delay(60_000, { signal: controller.signal, unref: true });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(delay(60_000, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps the process alive unless unref is set', async () => {
    const before = timersKeepingAlive();
    const controller = new AbortController();
    const unrefd = delay(60_000, { signal: controller.signal, unref: true }).catch(() => undefined);
    expect(timersKeepingAlive()).toBe(before);
    const refd = delay(60_000, { signal: controller.signal }).catch(() => undefined);
    expect(timersKeepingAlive()).toBe(before + 1);
    controller.abort();
    await Promise.all([unrefd, refd]);
  });
});
