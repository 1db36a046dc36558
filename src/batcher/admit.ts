import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { isEvent, type Command } from '../inbox/commands.js';
import type { EventRecord } from '../events/event-record.js';
import type { Counters } from './counters.js';

/** Slots of `maxQueueSize` that only terminal events (SESSION_END, fatal exceptions) may use. */
export const TERMINAL_RESERVE = 4;

export interface AdmitOptions {
  readonly maxQueueSize: number;
  readonly counters: Counters;
  /** `true` once `stop()` began: ordinary events are refused and counted as `stopped`. */
  readonly isStopping: () => boolean;
}

/**
 * The bounded queue's door. `maxQueueSize` bounds accepted-but-unsettled events (in flight
 * included); ordinary events may fill it up to the reserve, terminal events up to the bound, and
 * the single SESSION_END always gets in, so a flood of ordinary events can never cost the
 * backend the end of the session or the fatal error that ended it.
 *
 * An admitted event gets its `event_session_index` here, so accepted events are numbered
 * without gaps in the order they will be sent.
 */
export function admit(options: AdmitOptions): MonoTypeOperatorFunction<Command> {
  const { counters, isStopping } = options;
  const ordinaryLimit = options.maxQueueSize - TERMINAL_RESERVE;
  let nextIndex = 0;

  const refuse = (record: EventRecord, reason: 'queueFull' | 'stopped'): false => {
    record.admission = reason;
    counters.drop(reason);
    return false;
  };

  return filter((command) => {
    if (!isEvent(command)) return true;
    const record = command;
    if (record.kind !== 'SESSION_END') {
      if (!record.terminal && isStopping()) return refuse(record, 'stopped');
      const limit = record.terminal ? options.maxQueueSize : ordinaryLimit;
      if (counters.queued >= limit) return refuse(record, 'queueFull');
    }
    record.admission = 'accepted';
    record.index = nextIndex++;
    counters.accept();
    return true;
  });
}
