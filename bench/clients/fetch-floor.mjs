/**
 * Floor for end to end: the naive client. Buffers 100 Tinker events, then JSON.stringify + Node's
 * global fetch, one request after another (each awaited before the next). No retries, no bound.
 */
import { batchingFloor } from './floor-batches.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'fetch-floor',
  protocol: 'tinker',
  create(url, s) {
    /** @param {string} endpoint @param {string} body */
    const post = async (endpoint, body) => {
      const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.arrayBuffer();
    };
    return batchingFloor(url, s, post, { inFlight: 1, options: { transport: 'global fetch (undici), sequential' } });
  },
};
