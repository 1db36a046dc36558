/** Faults the receiver can be told to inject, for tests and the demo. */
export interface Fault {
  /** Answer with this status instead of storing the batch. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | object;
  /** Wait this long before answering (the batch is stored unless `status` is set). */
  readonly delayMs?: number;
  /** Never answer; the socket stays open until the client gives up or the receiver closes. */
  readonly hang?: boolean;
  /** How many requests this fault applies to. @defaultValue 1 */
  readonly times?: number;
}

/** A FIFO of faults, each used `times` times, applied to the next telemetry POSTs in order. */
export class FaultQueue {
  private readonly queue: { fault: Fault; left: number }[] = [];

  push(...faults: Fault[]): void {
    for (const fault of faults) this.queue.push({ fault, left: fault.times ?? 1 });
  }

  /** The fault for the next request, if any. */
  next(): Fault | undefined {
    const head = this.queue[0];
    if (head === undefined) return undefined;
    if (--head.left <= 0) this.queue.shift();
    return head.fault;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
