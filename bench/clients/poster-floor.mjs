/**
 * Floor for end to end with two requests in flight, through rxtel's own HTTP layer: JSON.stringify +
 * `JsonPoster.post` over the default sink's keep-alive `node:http` transport (decision 0020) —
 * everything the default sink does per request, without the reporter around it.
 */
import { JsonPoster } from '../../dist/sinks/http/json-poster.js';
import { batchingFloor } from './floor-batches.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'poster-floor',
  protocol: 'tinker',
  create(url, s) {
    const poster = new JsonPoster({ name: 'poster-floor', timeoutMs: s.httpTimeoutMs, headers: { 'x-api-key': 'bench' }, secrets: ['bench'] });
    const signal = new AbortController().signal;
    /** @param {string} endpoint @param {string} body */
    const post = async (endpoint, body) => {
      await poster.post(endpoint, body, signal);
    };
    return batchingFloor(url, s, post, { inFlight: 2, close: () => poster.close(), options: { transport: "rxtel's JsonPoster (its node:http transport)" } });
  },
};
