import { ReceivedBatch } from './received-batch.js';

/** One schema issue, in the form the Tinker server gives it (`loc` like `body -> session_id`). */
export interface ValidationIssue {
  readonly loc: string;
  readonly msg: string;
  /** zod's issue code (`invalid_format`, `invalid_type`, …), not pydantic's type name. */
  readonly type: string;
}

/** Why a body was refused: not JSON (400), or JSON that is no telemetry batch (422, with its issues). */
export type BatchRefusal = { readonly status: 400; readonly error: string } | { readonly status: 422; readonly error: string; readonly errors: readonly ValidationIssue[] };

const SHOWN = 5;

/**
 * Parses and checks a request body: the batch, or why it is refused. A schema failure is a 422 as
 * the Tinker server answers it (`{ detail: 'Validation Error', errors: [{ loc, msg, type }] }`,
 * issue thinking-machines-lab/tinker#55), plus `error`, one line naming the first issues.
 *
 * @example
 * ```ts
 * validateBatch('{not json');                // { status: 400, error: 'invalid JSON: …' }
 * validateBatch('{"session_id":"x",…}');     // { status: 422, errors: [{ loc: 'body -> session_id', … }], error: '…' }
 * ```
 */
export function validateBatch(text: string): { batch: ReceivedBatch } | BatchRefusal {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { status: 400, error: `invalid JSON: ${(error as Error).message}` };
  }
  const parsed = ReceivedBatch.safeParse(json);
  if (parsed.success) return { batch: parsed.data };
  const { issues } = parsed.error;
  const errors = issues.map((issue) => ({ loc: ['body', ...issue.path.map(String)].join(' -> '), msg: issue.message, type: issue.code }));
  const shown = issues.slice(0, SHOWN).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  const more = issues.length > SHOWN ? ` (and ${issues.length - SHOWN} more)` : '';
  return { status: 422, error: `invalid telemetry batch: ${shown.join('; ')}${more}`, errors };
}
