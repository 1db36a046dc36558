/**
 * Floor for end to end with two requests in flight, through rxtel's own HTTP layer: JSON.stringify +
 * `JsonPoster.post` (ky with `retry: 0` over the keep-alive `node:http` fetch, the default sink's
 * transport) — everything the default sink does per request, without the reporter around it.
 */
import { JsonPoster } from '../../dist/sinks/http/json-poster.js';
import { batchingFloor } from './floor-batches.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'ky-floor',
  protocol: 'tinker',
  create(url, s) {
    const poster = new JsonPoster({ name: 'ky-floor', timeoutMs: s.httpTimeoutMs, headers: { 'x-api-key': 'bench' }, secrets: ['bench'] });
    /** @param {string} endpoint @param {string} body */
    const post = async (endpoint, body) => {
      await poster.post(endpoint, body, AbortSignal.timeout(s.httpTimeoutMs));
    };
    return batchingFloor(url, s, post, { inFlight: 2, close: () => poster.close(), options: { transport: "rxtel's JsonPoster (ky 1.x, retry 0, node:http fetch)" } });
  },
};
