/** Loads one adapter by name, so a child process imports only the library it measures. */
export const CLIENTS = ['rxtel', 'rxtel-spool', 'rxtel-defaults', 'opentelemetry', 'opentelemetry-defaults', 'posthog', 'segment', 'array', 'fetch-floor', 'http-floor', 'ky-floor', 'poster-floor'];

/** @param {string} name @returns {Promise<import('./types.mjs').ClientAdapter>} */
export async function loadClient(name) {
  if (!CLIENTS.includes(name)) throw new Error(`unknown client ${name} (one of ${CLIENTS.join(', ')})`);
  return (await import(`./${name}.mjs`)).default;
}
