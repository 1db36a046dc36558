/**
 * The durable spool (docs/durability.md): `Spool.open(options)` and the types of its API.
 */
export { Spool } from './spool.js';
export type { AppendResult, BacklogRecord, RecoveryResult, SpoolStats } from './types.js';
export type { SpoolOptions } from './spool-options.js';
