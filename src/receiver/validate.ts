import { TelemetryBatch } from '../events/wire.js';

/** A batch the receiver accepts, or the message of a 400 that says what is wrong and where. */
export function validateBatch(text: string): { batch: TelemetryBatch } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: `invalid JSON: ${(error as Error).message}` };
  }
  const parsed = TelemetryBatch.safeParse(json);
  if (parsed.success) return { batch: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
  return { error: `invalid telemetry batch: ${issues.join('; ')}${more}` };
}
