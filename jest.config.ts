/** @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "CommonJS", "moduleResolution": "Node10"}} */
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // The child-process fixtures, compiled once per run (spec/setup/compile-fixtures.ts).
  globalSetup: '<rootDir>/spec/setup/compile-fixtures.ts',
  globalTeardown: '<rootDir>/spec/setup/remove-fixtures.ts',
  testTimeout: 20_000,
};

export default config;
