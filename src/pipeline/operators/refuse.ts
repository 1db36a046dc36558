import type { Counters } from '../../stats/counters.js';
import type { EventRecord } from '../../events/event-record.js';
import { isOwnReport } from '../../events/own-reports.js';

/** Why an event was refused before it was accepted: its `admission` and its drop counter at once. */
export type Refusal = 'invalid' | 'rateLimited' | 'sampled' | 'filtered' | 'queueFull' | 'stopped';

/**
 * Refuses `record`: the verdict `log()` reads, and the count under its reason. rxtel's own reports
 * are refused without being counted: reporting that drop would need another report, forever.
 * Returns `false`, so a `filter` can return it.
 */
export function refuse(counters: Counters, record: EventRecord, reason: Refusal): false {
  record.admission = reason;
  if (!isOwnReport(record)) counters.drop(reason);
  return false;
}
