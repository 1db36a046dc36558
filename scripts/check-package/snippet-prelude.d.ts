// What the documentation's TypeScript blocks assume without writing it out, so that a block can
// show one call instead of a program. A block's own declarations and imports shadow these.
// Type-checked with every block by snippets.mjs: keep each name's type what the docs mean by it.

// rxtel's exports, for the blocks that use one without importing it.
declare const createReporter: typeof import('rxtel').createReporter;
declare const installProcessHandlers: typeof import('rxtel').installProcessHandlers;
declare const TinkerHttpSink: typeof import('rxtel').TinkerHttpSink;
declare const OtlpHttpSink: typeof import('rxtel').OtlpHttpSink;
declare const LangfuseSink: typeof import('rxtel').LangfuseSink;
declare const NdjsonFileSink: typeof import('rxtel').NdjsonFileSink;
declare const ConsoleSink: typeof import('rxtel').ConsoleSink;
declare const InMemorySink: typeof import('rxtel').InMemorySink;

// "Your reporter", "your sink", and what a sink is handed.
declare const reporter: import('rxtel').Reporter;
declare const sink: import('rxtel').Sink;
declare const batch: readonly import('rxtel').TelemetryEvent[];
declare const batchId: string;
declare const sessionId: string;

// Configuration the application has at hand.
declare const endpoint: string;
declare const apiKey: string;
declare const token: string;
declare const tokens: { current(): Promise<string> };
declare const publicKey: string;
declare const secretKey: string;
declare const userId: string;

// The application's own values and functions.
declare const error: unknown;
declare const app: { events$: import('rxjs').Observable<import('rxtel').BusEvent> };
declare const api: { getUser(id: string): Promise<{ id: string; name: string }> };
declare const id: string;
declare const text: string;
declare const percent: number;
declare const prompt: string;
declare function planner(): Promise<void>;
declare const answer: string;
declare const input: string;
declare const output: string;
declare const start_time: string;
declare const end_time: string;
declare const ui: { append(event: import('rxtel').EventView): void };
declare function risky(): Promise<void>;
declare function alert(message: string): void;
declare function render(stats: import('rxtel').ReporterStats): void;
declare function idle(drained: boolean): void;

// A test runner's assertion (jest or vitest), for the testing examples.
declare function expect(actual: unknown): { toContain(item: unknown): void; toEqual(expected: unknown): void; toBe(expected: unknown): void };
