import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { admit } from '../../../src/pipeline/operators/admit.js';
import { Counters } from '../../../src/stats/counters.js';
import { EventRecord } from '../../../src/events/event-record.js';
import type { Command } from '../../../src/inbox/commands.js';
import { resolvedConfig } from '../../helpers/config.js';
import { record } from '../../helpers/records.js';

const { terminalReserve: TERMINAL_RESERVE } = resolvedConfig();

function door(maxQueueSize: number) {
  const counters = new Counters();
  let stopping = false;
  const inbox = new Subject<Command>();
  const passed: EventRecord[] = [];
  inbox.pipe(admit({ ...resolvedConfig({ maxQueueSize }), counters, isStopping: () => stopping })).subscribe((c) => passed.push(c as EventRecord));
  const offer = (r: EventRecord) => {
    inbox.next(r);
    return r;
  };
  return { counters, offer, passed, stop: () => (stopping = true) };
}

const terminal = () => new EventRecord('UNHANDLED_EXCEPTION', 'CRITICAL', 0, 'UNHANDLED_EXCEPTION', { error_type: 'E', error_message: 'm' }, true);
const sessionEnd = () => new EventRecord('SESSION_END', 'INFO', 0, 'SESSION_END', { duration: '0:00:00.000000' }, true);

describe('admit', () => {
  it('numbers accepted events contiguously from 0, skipping refused ones', () => {
    const { offer, counters } = door(8);
    const records = Array.from({ length: 10 }, (_, i) => offer(record(`e${i}`)));
    expect(records.map((r) => r.admission)).toEqual([...Array(8 - TERMINAL_RESERVE).fill('accepted'), ...Array(6).fill('queueFull')]);
    expect(records.filter((r) => r.admission === 'accepted').map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(counters.snapshot()).toMatchObject({ accepted: 4, queued: 4, dropped: { queueFull: 6 } });
  });

  it('keeps the reserve for terminal events and always lets SESSION_END in', () => {
    const { offer, counters } = door(8);
    for (let i = 0; i < 20; i++) offer(record('flood'));
    const fatals = Array.from({ length: 5 }, () => offer(terminal()));
    expect(fatals.map((r) => r.admission)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'queueFull']);
    expect(offer(sessionEnd()).admission).toBe('accepted');
    expect(counters.snapshot()).toMatchObject({ accepted: 9, dropped: { queueFull: 17 } });
  });

  it('frees slots as events settle', () => {
    const { offer, counters } = door(8);
    for (let i = 0; i < 4; i++) offer(record('a'));
    expect(offer(record('b')).admission).toBe('queueFull');
    counters.settle({ delivered: 2, failed: 0 }, 0);
    expect(offer(record('c')).admission).toBe('accepted');
  });

  it('refuses ordinary events once stopping, but not terminal ones', () => {
    const { offer, counters, stop } = door(100);
    stop();
    expect(offer(record('late')).admission).toBe('stopped');
    expect(offer(terminal()).admission).toBe('accepted');
    expect(offer(sessionEnd()).admission).toBe('accepted');
    expect(counters.snapshot().dropped.stopped).toBe(1);
  });
});
