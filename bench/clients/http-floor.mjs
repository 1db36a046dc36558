/**
 * Floor for end to end with two requests in flight: JSON.stringify + bare `node:http` with a
 * keep-alive agent. What any client on this machine could reach before doing anything else.
 */
import http from 'node:http';
import { batchingFloor } from './floor-batches.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'http-floor',
  protocol: 'tinker',
  create(url, s) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    /** @param {string} endpoint @param {string} body @returns {Promise<void>} */
    const post = (endpoint, body) =>
      new Promise((resolve, reject) => {
        const request = http.request(endpoint, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
          response.on('data', () => undefined);
          response.on('end', () => resolve());
          response.on('error', reject);
        });
        request.on('error', reject);
        request.end(body);
      });
    return batchingFloor(url, s, post, { inFlight: 2, close: () => agent.destroy(), options: { transport: 'node:http, keep-alive agent' } });
  },
};
