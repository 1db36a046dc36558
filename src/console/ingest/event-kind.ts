import { HEALTH_EVENT, SINK_HEALTH_EVENT } from '../../events/names.js';
import type { ConsoleEventKind } from '../model.js';
import { isLlmName } from './llm-info.js';

/**
 * The kind of an event known only by its name (a Tinker GENERIC_EVENT, an OTLP log record that is
 * no session event and no exception): `telemetry.health` → `health`, `telemetry.sink_health` →
 * `sink_health`, an LLM event's name (rxtel's `llm.…`, or a GenAI event `gen_ai.…`) → `llm`, any
 * other → `log`.
 *
 * @example
 * ```ts
 * kindOfName('telemetry.health'); // 'health'
 * kindOfName('llm.generation');   // 'llm'
 * kindOfName('user.action');      // 'log'
 * ```
 */
export function kindOfName(name: string): ConsoleEventKind {
  if (name === HEALTH_EVENT) return 'health';
  if (name === SINK_HEALTH_EVENT) return 'sink_health';
  return isLlmName(name) ? 'llm' : 'log';
}
