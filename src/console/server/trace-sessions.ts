/**
 * The session each Langfuse trace was given, for the trace's later items: the last 100,000 traces
 * at most, the oldest forgotten first (an item of a forgotten trace goes to `langfuse:<traceId>`).
 *
 * @example
 * ```ts
 * const traces = new TraceSessions();
 * traces.remember(new Map([['t1', 'chat-42']]));
 * traces.sessionOf('t1'); // 'chat-42'
 * ```
 */
export class TraceSessions {
  private readonly sessions = new Map<string, string>();

  constructor(private readonly limit = 100_000) {}

  sessionOf(traceId: string): string | undefined {
    return this.sessions.get(traceId);
  }

  remember(traces: ReadonlyMap<string, string>): void {
    for (const [trace, session] of traces) {
      this.sessions.delete(trace);
      this.sessions.set(trace, session);
    }
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= this.limit) break;
      this.sessions.delete(oldest);
    }
  }
}
