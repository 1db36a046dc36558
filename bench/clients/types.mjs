/**
 * The adapter contract every file in this folder follows (JSDoc only; nothing runs here).
 *
 * @typedef {import('../settings.mjs').ClientSettings} ClientSettings
 *
 * @typedef {object} Held  what the client itself says about events it has not settled yet
 * @property {number | null} held     accepted and not yet delivered or given up (null: the client does not tell)
 * @property {number | null} dropped  refused or given up, by the client's own count (null: not exposed)
 * @property {string} [how]           where the numbers come from
 *
 * @typedef {object} ClientInstance
 * @property {(i: number) => void} log  send the bench event once (i = call number)
 * @property {() => Promise<void>} shutdown  flush everything and release the client
 * @property {() => Held} held
 * @property {Record<string, unknown>} options  the options actually passed to the client (for the report)
 * @property {(name: string, data: unknown) => boolean} [logData]  log any data under any name (the hostile scenario)
 * @property {(error: unknown) => boolean} [logException]  log anything thrown (the hostile scenario)
 * @property {() => { coerced: Record<string, number> }} [stats]  the client's own repair counters, where it has them
 *
 * @typedef {object} ClientAdapter
 * @property {string} name
 * @property {'tinker' | 'posthog' | 'segment' | 'otlp' | 'none'} protocol  which server counter to read
 * @property {(url: string, settings: ClientSettings) => ClientInstance} create
 */
export {};
