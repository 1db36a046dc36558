import { Subject } from 'rxjs';
import { EventRecord } from '../events/event-record.js';

/** Cut the batcher now: send everything it holds (flush(), exceptions, stop, fatal). */
export class FlushCommand {
  readonly type = 'flush';
}

/**
 * What travels through the actor's mailbox: events (which carry their own verdict back to the
 * caller, see {@link EventRecord}) and control commands. Operators let commands they do not
 * handle pass through untouched.
 */
export type Command = EventRecord | FlushCommand;

/** The actor's mailbox: the only way into the reporter's state. */
export type Inbox = Subject<Command>;

export function createInbox(): Inbox {
  return new Subject<Command>();
}

export const isEvent = (command: Command): command is EventRecord => command instanceof EventRecord;
