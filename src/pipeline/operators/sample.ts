import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Counters } from '../../stats/counters.js';
import { isEvent, type Command } from '../../inbox/commands.js';
import { isExempt } from '../../events/own-reports.js';

export interface SampleOptions {
  /** Share of events kept, 0..1. */
  readonly sampleRate: number;
  /** Per-name rates that override `sampleRate`. */
  readonly sampleRates?: Readonly<Record<string, number>>;
  /** Uniform in [0, 1): the reporter's injectable random source. */
  readonly random: () => number;
  readonly counters: Counters;
}

/** FNV-1a, 32 bits, as a number in [0, 1): the same id always lands in the same place. */
export function hashToUnit(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

function correlationOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { trace_id: traceId, correlation_id: correlationId } = data as Record<string, unknown>;
  if (typeof traceId === 'string' && traceId !== '') return traceId;
  return typeof correlationId === 'string' && correlationId !== '' ? correlationId : undefined;
}

/**
 * Keeps a share of events: deterministically by a hash of `event_data.trace_id` (or
 * `correlation_id`) when there is one, so a whole trace is kept or dropped together; at random
 * otherwise. Session and exception events are never sampled. Dropped events count as `sampled`.
 */
export function sampleEvents(options: SampleOptions): MonoTypeOperatorFunction<Command> {
  const { sampleRate, sampleRates = {}, random, counters } = options;
  // Everything kept: no step at all, so log() does not pay for a check that always passes.
  if (sampleRate >= 1 && Object.values(sampleRates).every((rate) => rate >= 1)) return (source) => source;
  return filter((command) => {
    if (!isEvent(command) || isExempt(command)) return true;
    const rate = sampleRates[command.name as string] ?? sampleRate;
    if (rate >= 1) return true;
    const id = correlationOf(command.data);
    const draw = id === undefined ? random() : hashToUnit(id);
    if (draw < rate) return true;
    return counters.refuse(command, 'sampled');
  });
}
