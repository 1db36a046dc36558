/**
 * Floor for end to end with two requests in flight, through rxtel's HTTP layer given a user's ky
 * instance: JSON.stringify + `JsonPoster.post` with `ky: ky.create()` (ky with `retry: 0` over
 * Node's global fetch) — what every request costs a user who passes their own ky to a sink
 * (docs/sinks.md), without the reporter around it.
 */
import ky from 'ky';
import { JsonPoster } from '../../dist/sinks/http/json-poster.js';
import { batchingFloor } from './floor-batches.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'ky-floor',
  protocol: 'tinker',
  create(url, s) {
    const poster = new JsonPoster({ name: 'ky-floor', timeoutMs: s.httpTimeoutMs, headers: { 'x-api-key': 'bench' }, secrets: ['bench'], ky: ky.create({}) });
    const signal = new AbortController().signal;
    /** @param {string} endpoint @param {string} body */
    const post = async (endpoint, body) => {
      await poster.post(endpoint, body, signal);
    };
    return batchingFloor(url, s, post, { inFlight: 2, close: () => poster.close(), options: { transport: "rxtel's JsonPoster with ky: ky.create() (ky 1.x over global fetch, retry 0)" } });
  },
};
