import { describe, expect, it } from '@jest/globals';
import { filter, map } from 'rxjs';
import { genericEvent } from '../../src/events/factory.js';
import { createInbox, FlushCommand, isEvent, type Command } from '../../src/inbox/commands.js';

const record = (name: string) => genericEvent(0, name, {});

describe('the inbox', () => {
  it('delivers each command synchronously to every subscriber, in order, through operators', () => {
    const inbox = createInbox();
    const a: string[] = [];
    const b: Command[] = [];
    inbox.pipe(filter(isEvent), map((r) => r.name as string)).subscribe((name) => a.push(name));
    inbox.subscribe((command) => b.push(command));
    const flush = new FlushCommand();
    inbox.next(record('one'));
    expect(a).toEqual(['one']);
    inbox.next(flush);
    inbox.next(record('two'));
    expect(a).toEqual(['one', 'two']);
    expect(b).toHaveLength(3);
    expect(b[1]).toBe(flush);
  });

  it('is hot: a subscriber sees only what comes after it subscribed; one that left sees nothing more', () => {
    const inbox = createInbox();
    inbox.next(record('before'));
    const seen: string[] = [];
    const subscription = inbox.pipe(filter(isEvent)).subscribe((r) => seen.push(r.name as string));
    inbox.next(record('during'));
    subscription.unsubscribe();
    inbox.next(record('after'));
    expect(seen).toEqual(['during']);
  });

  it('a subscriber that leaves during delivery does not make the next one miss that command', () => {
    const inbox = createInbox();
    const seen: string[] = [];
    const first = inbox.subscribe(() => {
      seen.push('first');
      first.unsubscribe();
    });
    inbox.subscribe(() => seen.push('second'));
    inbox.subscribe(() => seen.push('third'));
    inbox.next(record('x'));
    inbox.next(record('y'));
    expect(seen).toEqual(['first', 'second', 'third', 'second', 'third']);
  });

  it('after complete(): subscribers completed, later commands ignored, closed, a late subscriber completes at once', () => {
    const inbox = createInbox();
    const events: string[] = [];
    inbox.subscribe({ next: () => events.push('next'), complete: () => events.push('complete') });
    expect(inbox.closed).toBe(false);
    inbox.complete();
    inbox.next(record('late'));
    inbox.complete();
    expect(events).toEqual(['complete']);
    expect(inbox.closed).toBe(true);
    let lateCompleted = false;
    inbox.subscribe({ complete: () => (lateCompleted = true) });
    expect(lateCompleted).toBe(true);
  });
});
