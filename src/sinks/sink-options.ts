import type { KyInstance } from 'ky';
import { z } from 'zod';
import { func, integer, nonEmptyString, oneOf } from '../schema/fields.js';

/**
 * The options several built-in sinks share, declared once: each sink's schema takes these fields,
 * so `name`, `contentCapture`, `timeoutMs`, `compression`, `maxBatchBytes`, `now` and `ky` are checked,
 * worded and defaulted the same way everywhere.
 */

// Node's timers (and ky) cannot take larger timeouts (a 32-bit limit); the schema refuses them where the option is named.
const MAX_TIMEOUT_MS = 2_147_483_647;

/** `name`: the sink's name in errors, stats and health events. */
export const sinkName = (fallback: string) => nonEmptyString().default(fallback);

/** `contentCapture`: whether raw `event_data.content` may reach the sink. */
export const contentCapture = () => oneOf(['raw', 'redacted']).default('redacted');

/** `timeoutMs` of an HTTP sink: how long one request may take until its whole answer is read. */
export const timeoutMs = () => integer(1, MAX_TIMEOUT_MS).default(5000);

/** `compression` of an HTTP sink's request bodies. */
export const compression = () => oneOf(['none', 'gzip']).default('none');

/** `maxBatchBytes`: largest request body; the reporter cuts batches to fit. */
export const maxBatchBytes = () => integer(1);

/** `now`: epoch milliseconds, to turn a `Retry-After` HTTP date into a delay. */
export const clock = () => func<() => number>().optional();

/**
 * `ky`: the user's own ky instance (`ky.create({ hooks, … })`), through which an HTTP sink then
 * sends. Anything with a `post` method is accepted; ky's own types say the rest.
 */
export const kyInstance = () =>
  z
    .custom<KyInstance>((value) => typeof value === 'function' && typeof (value as { post?: unknown }).post === 'function', {
      error: 'expected a ky instance (ky.create(…) or ky.extend(…))',
    })
    .optional();
