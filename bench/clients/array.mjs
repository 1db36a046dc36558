/** Floor for ingest: what a log() call costs when it only builds the event and keeps it. */
import { EVENT_NAME, eventProperties } from '../settings.mjs';

/** @type {import('./types.mjs').ClientAdapter} */
export default {
  name: 'array',
  protocol: 'none',
  create() {
    /** @type {object[]} */
    let events = [];
    return {
      log: () => void events.push({ name: EVENT_NAME, properties: eventProperties(), time: Date.now() }),
      shutdown: async () => void (events = []),
      held: () => ({ held: events.length, dropped: 0, how: 'array length' }),
      options: { storage: 'Array.prototype.push of { name, properties, time }' },
    };
  },
};
