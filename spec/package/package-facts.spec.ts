import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  license: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
  files: string[];
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string };
  repository?: { type?: string; url?: string };
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { version: string }> };

// What scripts/check-package.sh cannot see from the tarball alone (docs/decisions/0021).
describe('the package as users know packages', () => {
  it('declares its runtime dependencies as caret ranges, which the lockfile pins to a matching version', () => {
    for (const [name, range] of Object.entries(pkg.dependencies)) {
      expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
      expect(lock.packages[`node_modules/${name}`]?.version).toBe(range.slice(1));
    }
  });

  it('ships an MIT LICENSE for "rxtel contributors", matching `license`', () => {
    expect(pkg.license).toBe('MIT');
    const license = readFileSync(new URL('LICENSE', root), 'utf8');
    expect(license).toMatch(/^MIT License/);
    expect(license).toMatch(/Copyright \(c\) \d{4} rxtel contributors/);
  });

  it('says where it lives: repository, homepage, bugs, keywords', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/) });
    const base = pkg.repository!.url!.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(pkg.homepage).toBe(`${base}#readme`);
    expect(pkg.bugs?.url).toBe(`${base}/issues`);
    expect(pkg.keywords?.length).toBeGreaterThan(3);
  });

  it('builds when packed, never on a consumer’s install, and ships the sources its maps point at', () => {
    expect(pkg.scripts['prepare']).toBeUndefined();
    expect(pkg.scripts['prepack']).toBe('npm run build');
    expect(pkg.files).toEqual(['dist', 'src']);
  });

  it('runs jest without the ExperimentalWarning of --experimental-vm-modules', () => {
    for (const script of ['test', 'test:durability']) expect(pkg.scripts[script]).toMatch(/NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning"/);
  });

  it('has the examples CI runs', () => {
    for (const example of ['cli-job.mjs', 'agent-loop.ts', 'worker.mjs']) expect(existsSync(new URL(`examples/${example}`, root))).toBe(true);
  });
});
