/**
 * The valid option name a misspelt one most likely meant: the same name in another case, else the
 * nearest by edit distance (insertions, deletions, substitutions, and two swapped neighbours),
 * compared case-insensitively, when at most a third of the name differs. `undefined` when nothing is
 * that close: a wild guess would mislead more than it helps.
 *
 * @example
 * ```ts
 * closestName('apikey', ['endpoint', 'apiKey']);                   // 'apiKey'
 * closestName('flushIntervalMS', ['flushIntervalMs', 'flushThreshold']); // 'flushIntervalMs'
 * closestName('colour', ['endpoint', 'apiKey']);                   // undefined
 * ```
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  const sameLetters = candidates.find((candidate) => candidate.toLowerCase() === wanted);
  if (sameLetters !== undefined) return sameLetters;
  // Names are short; a long unknown key is no misspelling, and its distance is not worth computing.
  if (wanted.length > 64) return undefined;
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: Levenshtein plus the swap of two neighbouring characters. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
