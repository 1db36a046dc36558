/**
 * The child's view of the counting server. The child cannot reach the server's IPC channel, so
 * run.mjs relays: child → parent {type:'server', id, message} → server → parent → child
 * {type:'server-reply', id, stats}.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** @typedef {{received: number, duplicates: number, other: number, requests: number, refused: number, badRequests: number, lastAt: number}} ProtocolStats */

let nextId = 0;
/** @type {Map<number, (stats: Record<string, ProtocolStats>) => void>} */
const waiting = new Map();
process.on('message', (/** @type {any} */ m) => {
  if (m?.type !== 'server-reply') return;
  waiting.get(m.id)?.(m.stats);
  waiting.delete(m.id);
});

/** @param {{type: 'stats' | 'outage' | 'reset', on?: boolean}} message @returns {Promise<Record<string, ProtocolStats>>} */
export function server(message) {
  const id = ++nextId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    process.send?.({ type: 'server', id, message });
  });
}

/** @param {string} protocol */
export const stats = async (protocol) => (await server({ type: 'stats' }))[protocol];
/** @param {boolean} on */
export const setOutage = (on) => server({ type: 'outage', on });
/** Wall-clock ms, comparable with the server's `lastAt`. */
export const wallNow = () => performance.timeOrigin + performance.now();

/**
 * Polls the server every 20 ms until it counted `target` events, `capMs` passed, or `settled()`
 * says the client holds nothing any more and the count stopped moving for `quietMs`. A client
 * whose settled() is never true (it cannot tell what it holds) waits for the count or the cap.
 * `onCount()` runs after the first answer and after every answer whose count moved, so a caller
 * can take its measurements as of the last counted event rather than of the cap.
 * @param {string} protocol @param {number} target @param {number} capMs
 * @param {{ settled?: () => boolean, quietMs?: number, onCount?: () => void }} [options]
 */
export async function waitForCount(protocol, target, capMs, options = {}) {
  const start = wallNow();
  let last = await stats(protocol);
  let changedAt = wallNow();
  options.onCount?.();
  while (last.received < target && wallNow() - start < capMs) {
    if (options.settled?.() && wallNow() - changedAt >= (options.quietMs ?? 500)) break;
    await sleep(20);
    const next = await stats(protocol);
    if (next.received !== last.received) {
      changedAt = wallNow();
      options.onCount?.();
    }
    last = next;
  }
  return { ...last, complete: last.received >= target, waitedMs: wallNow() - start };
}
