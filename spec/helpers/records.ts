import { EventRecord } from '../../src/events/event-record.js';

/** A GENERIC_EVENT record named `name` (as the pipeline would see it after `log()`). */
export function record(name: string, timeMs = 0): EventRecord {
  return new EventRecord('GENERIC_EVENT', 'INFO', timeMs, name, {});
}
