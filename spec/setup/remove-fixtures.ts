/**
 * jest globalTeardown: deletes this run's compiled fixtures (see compile-fixtures.ts). Imports
 * nothing of ours: jest loads the global hooks without the moduleNameMapper.
 */
import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const outDir = process.env['RXTEL_FIXTURES_DIR'];
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
}
