/**
 * A matcher for event names: exact names, and `prefix.*` for every name under `prefix.`
 * (`rxtel.http.*` matches `rxtel.http.request.stop`, not `rxtel.httpd`). `*` alone matches all.
 */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((p) => !p.endsWith('.*')));
  const prefixes = patterns.filter((p) => p.endsWith('.*')).map((p) => p.slice(0, -1));
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}
