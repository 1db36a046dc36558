/** Parsing of the environment switches of DESIGN §2. */

const ON = new Set(['1', 'true', 'yes', 'on']);
const OFF = new Set(['0', 'false', 'no', 'off']);

/** What `RXTEL_TELEMETRY` says: on, off, or on because the value is not understood (`unknown`). */
export type EnvSwitch = 'on' | 'off' | 'unset' | 'unknown';

/**
 * Reads a boolean switch the way Tinkex does: trimmed, case-insensitive; `1 true yes on` → on,
 * `0 false no off` → off, unset or empty → unset, anything else → unknown (treated as on, warned).
 */
export function parseEnvSwitch(raw: string | undefined): EnvSwitch {
  if (raw === undefined) return 'unset';
  const value = raw.trim().toLowerCase();
  if (value === '') return 'unset';
  if (ON.has(value)) return 'on';
  if (OFF.has(value)) return 'off';
  return 'unknown';
}

/** Option `enabled` wins; then the env switch; unset and unknown mean on. */
export function resolveEnabled(option: boolean | undefined, env: EnvSwitch): boolean {
  if (option !== undefined) return option;
  return env !== 'off';
}
