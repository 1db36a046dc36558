import type { z } from 'zod';
import { closestName } from '../schema/closest-name.js';

/** Problems one refusal names at most; the rest are counted. */
const MAX_PROBLEMS = 3;

type Issue = z.core.$ZodIssue;

/** `usage.input_tokens`, or `the event` for the whole of it. */
function where(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'the event' : `\`${path.map(String).join('.')}\``;
}

/**
 * The issue of a union's closest branch (fewest problems, the first on a tie), with its path made
 * whole: `usage: { inputTokens: 1 }` is told as a missing `usage.outputTokens`, not "Invalid input".
 */
function closestBranch(issue: Issue & { code: 'invalid_union' }): Issue[] | undefined {
  let best: Issue[] | undefined;
  for (const branch of issue.errors) if (branch.length > 0 && (best === undefined || branch.length < best.length)) best = branch;
  return best?.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
}

/**
 * One problem in words: which field and what was expected, never the value given (it may be
 * content). zod's own messages name the expected type or values and the received *type* only.
 */
function describe(issue: Issue, known: (path: readonly PropertyKey[]) => readonly string[]): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.message.endsWith('received undefined')) return `${where(issue.path)} is missing (expected ${issue.expected})`;
      return `${where(issue.path)}: ${issue.message}`;
    case 'unrecognized_keys':
      return issue.keys
        .map((key) => {
          const near = closestName(key, known(issue.path));
          const field = [...issue.path.map(String), key].join('.');
          // Known, yet refused: a usage with keys of both spellings.
          if (near === key) return `\`${field}\`: one spelling per object, snake_case or camelCase, not both`;
          return `unknown field \`${field}\`${near === undefined ? '' : ` (did you mean \`${near}\`?)`}`;
        })
        .join('; ');
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator !== undefined) return `${where(issue.path)}: expected one of ${(issue as { options?: unknown[] }).options?.map((o) => `'${String(o)}'`).join(', ') ?? 'the known types'}`;
      return `${where(issue.path)}: ${issue.message}`;
    default:
      return `${where(issue.path)}: ${issue.message}`;
  }
}

/**
 * Why `reporter.track()` refused an event, in one line for the logger: its type when that was
 * valid, then at most three problems (which field, what was expected; never a value, which may be
 * a prompt). Unknown fields come with the closest known name and where extra data belongs.
 *
 * @example
 * ```ts
 * const parsed = LlmEvent.safeParse({ type: 'round_completed', chat_id: 'c1' });
 * if (!parsed.success) logger.warn(describeLlmRefusal(parsed.error.issues, 'round_completed', knownFields));
 * // track() refused a `round_completed` event: `round` is missing (expected number); …
 * ```
 */
export function describeLlmRefusal(issues: readonly Issue[], type: string | undefined, known: (path: readonly PropertyKey[]) => readonly string[]): string {
  const flat: Issue[] = [];
  for (const issue of issues) {
    const branch = issue.code === 'invalid_union' && !('discriminator' in issue && issue.discriminator !== undefined) ? closestBranch(issue) : undefined;
    flat.push(...(branch ?? [issue]));
  }
  const told = flat.slice(0, MAX_PROBLEMS).map((issue) => describe(issue, known));
  const more = flat.length > MAX_PROBLEMS ? `; and ${flat.length - MAX_PROBLEMS} more` : '';
  const unknown = flat.some((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0) ? ' (extra data goes in track(event, extra))' : '';
  const what = type === undefined ? 'an event' : `a \`${type}\` event`;
  return `track() refused ${what}: ${told.join('; ')}${more}${unknown}; counted in stats().dropped.invalid`;
}
