import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsoleEventKind, ConsoleSeverity, IncomingEvent } from '../../src/console/model.js';
import type { ConsoleStore, ConsoleStoreOptions } from '../../src/console/store-api.js';
import { openConsoleStore } from '../../src/console/store/open-store.js';

/** A fresh folder per test under os.tmpdir(); `cleanup` removes every one made so far (call it in afterEach). */
export function storeDirs(): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'rxtel-console-store-'));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A clock the test moves: `now()` answers `t`. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; t: number } {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

/** A store in `dir` with a fixed clock unless the test gives one. */
export function openStore(dir: string, options: Partial<ConsoleStoreOptions> = {}): Promise<ConsoleStore> {
  return openConsoleStore({ dir, now: () => 1_700_000_000_000, ...options });
}

/** An incoming event: a `log` at INFO from Tinker at `ts` 1000 + the number in its id, unless overridden. */
export function incoming(id: string, overrides: Partial<IncomingEvent> & { severity?: ConsoleSeverity; kind?: ConsoleEventKind } = {}): IncomingEvent {
  const n = Number(/\d+$/.exec(id)?.[0] ?? 0);
  return { id, session: 'ignored', ts: 1000 + n, received_ms: 0, severity: 'INFO', kind: 'log', name: 'app.event', source: 'tinker', ...overrides };
}

/** `count` incoming events `e<from>`, `e<from+1>`, …. */
export function many(count: number, from = 0, overrides: Partial<IncomingEvent> = {}): IncomingEvent[] {
  return Array.from({ length: count }, (_, i) => incoming(`e${from + i}`, overrides));
}

/** The session files' names under `dir`/sessions. */
export function sessionFiles(dir: string): string[] {
  return readdirSync(join(dir, 'sessions')).sort();
}

/** The lines of a session file, parsed. */
export function fileLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
