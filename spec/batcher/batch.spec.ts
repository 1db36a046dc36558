import { describe, expect, it } from '@jest/globals';
import { map, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { batchEvents } from '../../src/batcher/batch.js';
import { FlushCommand, type Command } from '../../src/inbox/commands.js';
import type { EventRecord } from '../../src/events/event-record.js';
import { record } from '../helpers/records.js';

const names = (batch: EventRecord[]) => batch.map((r) => r.name);

function run(
  marbles: string,
  options: { flushThreshold: number; flushIntervalMs: number; maxBatchSize: number },
  expected: string,
  values: Record<string, string[]>,
): void {
  const scheduler = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
  scheduler.run(({ hot, expectObservable }) => {
    const inputs: Record<string, Command> = { f: new FlushCommand() };
    for (const letter of 'abcdeg') inputs[letter] = record(letter);
    const batches$ = hot<Command>(marbles, inputs).pipe(batchEvents({ ...options, scheduler }));
    expectObservable(batches$.pipe(map(names))).toBe(expected, values);
  });
}

describe('batchEvents', () => {
  it('cuts a batch as soon as flushThreshold events wait', () => {
    run('-a-b-c-d-e-g-|', { flushThreshold: 3, flushIntervalMs: 0, maxBatchSize: 100 }, '-----x-----y-|', {
      x: ['a', 'b', 'c'],
      y: ['d', 'e', 'g'],
    });
  });

  it('cuts flushIntervalMs after the first waiting event, not on a fixed clock', () => {
    run('a-b------c-|', { flushThreshold: 100, flushIntervalMs: 5, maxBatchSize: 100 }, '-----x-----(y|)', {
      x: ['a', 'b'],
      y: ['c'],
    });
  });

  it('arms no timer while nothing waits (an idle reporter has no timers)', () => {
    run('----------|', { flushThreshold: 100, flushIntervalMs: 3, maxBatchSize: 100 }, '----------|', {});
    // The scheduler's queue shows every timer: none while idle, one while an event waits, none after its cut.
    const scheduler = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
    const input = new Subject<Command>();
    const batches: unknown[][] = [];
    const subscription = input
      .pipe(batchEvents({ flushThreshold: 100, flushIntervalMs: 3, maxBatchSize: 100, scheduler }))
      .subscribe((batch) => batches.push(names(batch)));
    expect(scheduler.actions).toHaveLength(0);
    input.next(new FlushCommand()); // a flush with nothing waiting
    expect(scheduler.actions).toHaveLength(0);
    input.next(record('a'));
    expect(scheduler.actions).toHaveLength(1);
    input.next(record('b')); // the timer runs from the first waiting event
    expect(scheduler.actions).toHaveLength(1);
    scheduler.flush();
    expect(batches).toEqual([['a', 'b']]);
    expect(scheduler.actions).toHaveLength(0);
    input.next(record('c'));
    input.next(new FlushCommand()); // a cut by command disarms the timer
    expect(batches).toEqual([['a', 'b'], ['c']]);
    expect(scheduler.actions).toHaveLength(0);
    input.next(record('d'));
    subscription.unsubscribe(); // and so does unsubscribing
    expect(scheduler.actions).toHaveLength(0);
  });

  it('cuts on a flush command and never emits an empty batch', () => {
    run('f-a-b-f-f-c|', { flushThreshold: 100, flushIntervalMs: 0, maxBatchSize: 100 }, '------x----(y|)', {
      x: ['a', 'b'],
      y: ['c'],
    });
  });

  it('splits a cut larger than maxBatchSize into FIFO batches', () => {
    run('-abcde--f------|', { flushThreshold: 100, flushIntervalMs: 0, maxBatchSize: 2 }, '--------(xyz)--|', {
      x: ['a', 'b'],
      y: ['c', 'd'],
      z: ['e'],
    });
  });

  it('sends what waits when the source completes', () => {
    run('-a-b|', { flushThreshold: 100, flushIntervalMs: 50, maxBatchSize: 100 }, '----(x|)', { x: ['a', 'b'] });
  });

  it('the timer restarts with the next first event after a threshold cut', () => {
    run('abc-d---------|', { flushThreshold: 3, flushIntervalMs: 4, maxBatchSize: 100 }, '--x-----y-----|', {
      x: ['a', 'b', 'c'],
      y: ['d'],
    });
  });
});
