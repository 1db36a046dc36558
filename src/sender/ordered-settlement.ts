/** One batch's place in the settlement order. */
export interface Ticket {
  readonly pending: (() => void)[];
  done: boolean;
}

/**
 * Lets batches be in flight together while their settlements still reach the counters in
 * acceptance order. The waits (`flush`, `stop`, the fatal path) rely on that order: "settled ≥ n"
 * must mean "the first n accepted events have settled", even when the second request of two
 * comes back first. A later batch's settlements wait here until every earlier batch is done.
 */
export class OrderedSettlement {
  private readonly open: Ticket[] = [];

  /** Takes the next place in line (call in batch order). */
  take(): Ticket {
    const ticket: Ticket = { pending: [], done: false };
    this.open.push(ticket);
    return ticket;
  }

  /** Applies `settle` now if every earlier batch is done, otherwise when they are. */
  settle(ticket: Ticket, settle: () => void): void {
    if (this.open[0] === ticket) settle();
    else ticket.pending.push(settle);
  }

  /** The batch has settled all its events: release the ones queued behind it. */
  done(ticket: Ticket): void {
    ticket.done = true;
    while (this.open[0]?.done === true) {
      this.open.shift();
      const head = this.open[0];
      if (head === undefined) break;
      for (const settle of head.pending.splice(0)) settle();
    }
  }
}
