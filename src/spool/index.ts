/**
 * The durable spool (docs/durability.md): `Spool.open(options)` and the types of its API.
 */
export { Spool, type AppendResult, type BacklogRecord, type RecoveryResult, type SpoolStats } from './spool.js';
export type { SpoolOptions } from './spool-options.js';
