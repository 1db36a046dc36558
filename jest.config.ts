/**
 * jest reads this file through ts-node: transpile-only, as CommonJS (`npm run typecheck` checks it),
 * which saves about 2 s of type checking at the start of every run.
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "CommonJS", "moduleResolution": "Node10"}}
 */
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  // The durability trials (dozens of killed child processes) run apart: `npm run test:durability`;
  // so do the console's tests in Chromium (they drive the built dist/): `npm run test:browser`.
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env['RXTEL_DURABILITY'] === '1' ? [] : ['<rootDir>/spec/durability/']),
    ...(process.env['RXTEL_BROWSER'] === '1' ? [] : ['<rootDir>/spec/console/browser/']),
  ],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // The child-process fixtures, compiled once per run (spec/setup/compile-fixtures.ts).
  globalSetup: '<rootDir>/spec/setup/compile-fixtures.ts',
  globalTeardown: '<rootDir>/spec/setup/remove-fixtures.ts',
  // One worker per core (jest's default leaves one core to itself, which on 2 cores means one
  // worker): the slow suites wait on real child processes and loopback servers, not on the CPU.
  maxWorkers: '100%',
  testTimeout: 20_000,
};

export default config;
