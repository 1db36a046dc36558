#!/usr/bin/env bash
# Checks the package as users get it: `npm pack` (which builds through `prepack`), lint the tarball
# with publint and @arethetypeswrong/cli, then install it into a fresh CommonJS project and a fresh
# ES module project, and in each one load rxtel (require / import), report a few events to the
# embedded receiver, stop, run the `rxtel` bin and type-check against the shipped declarations. In
# the ES module project also: every source map resolves inside the package, and every TypeScript
# block of README.md and docs/*.md compiles under `tsc --strict` against it, and every program in
# examples/ runs against it (scripts/run-examples.mjs). README's links work on
# the npm page. The repository's own tests never see the exports map, the `files` list or the bin
# link; this does. Any failure exits non-zero. Takes about 30 s (most of it the build and tsc).
#
# Usage: bash scripts/check-package.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="$root/scripts/check-package"
tsc="$root/node_modules/.bin/tsc"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/rxtel-check-package.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n== %s\n' "$*"; }

step "npm pack"
(cd "$root" && npm pack --silent --pack-destination "$tmp" >/dev/null)
tarballs=("$tmp"/rxtel-*.tgz)
if [[ ${#tarballs[@]} -ne 1 || ! -f ${tarballs[0]} ]]; then
  echo "check-package: expected one rxtel-*.tgz from npm pack, found: ${tarballs[*]}" >&2
  exit 1
fi
tarball="${tarballs[0]}"
echo "$(basename "$tarball"): $(tar -tzf "$tarball" | wc -l) files"

step "publint (the tarball)"
"$root/node_modules/.bin/publint" --strict "$tarball"

step "@arethetypeswrong/cli (the tarball)"
# cjs-resolves-to-esm is what rxtel means: `require('rxtel')` loads the one ES module build through
# Node's require(esm), on every Node release `engines` allows (docs/decisions/0013). Every other
# rule applies. --no-definitely-typed: rxtel ships its types; nothing is fetched.
"$root/node_modules/.bin/attw" --no-definitely-typed --no-color --no-emoji --format table-flipped \
  --ignore-rules cjs-resolves-to-esm -- "$tarball"

step "README links work on the npm page"
node "$fixtures/readme-links.mjs" "$root"

# $1: commonjs | module, $2: the consumer program, $3: the file to type-check.
check_project() {
  local type="$1" consumer="$2" types="$3"
  local dir="$tmp/$type"
  mkdir -p "$dir"
  printf '{ "name": "rxtel-check-%s", "version": "0.0.0", "private": true, "type": "%s" }\n' "$type" "$type" >"$dir/package.json"
  cp "$fixtures/exercise.cjs" "$fixtures/$consumer" "$fixtures/$types" "$dir/"

  step "$type project: npm install the tarball"
  (cd "$dir" && npm install --no-audit --no-fund --prefer-offline "$tarball")

  step "$type project: node $consumer"
  # A hang (a timer or socket left alive after stop()) fails the check instead of stalling CI.
  (cd "$dir" && timeout 30 node "$consumer")

  step "$type project: npx rxtel --help, npx rxtel demo"
  # --no-install: run the bin this project installed, never fetch a package from the registry.
  local usage
  usage="$(cd "$dir" && npx --no-install rxtel --help)"
  if [[ $usage != "usage: rxtel <command>"* ]]; then
    printf 'check-package: `rxtel --help` printed:\n%s\n' "$usage" >&2
    exit 1
  fi
  echo "$usage" | head -1
  # The demo writes its NDJSON under $TMPDIR: keep it inside the directory the trap removes.
  (cd "$dir" && TMPDIR="$dir" timeout 30 npx --no-install rxtel demo >"$dir/demo.log") || {
    cat "$dir/demo.log" >&2
    echo 'check-package: `rxtel demo` failed' >&2
    exit 1
  }
  grep -E '^(requests|dropped):' "$dir/demo.log"

  step "$type project: tsc --module nodenext $types"
  (cd "$dir" && "$tsc" --noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext \
    --types node --typeRoots "$root/node_modules/@types" "$types")
  echo "types resolve"
}

check_project commonjs consumer.cjs types.cts
check_project module consumer.mjs types.mts

step "source maps resolve inside the package"
node "$fixtures/source-maps.mjs" "$tmp/module/node_modules/rxtel"

step "npx rxtel console: the bundled UI, the demo's session, a clean stop"
node "$fixtures/console.mjs" "$tmp/module"

step "examples/: every example against the installed package"
node "$root/scripts/run-examples.mjs" "$tmp/module" "$tsc"

step "docs: every TypeScript block compiles under tsc --strict against the package"
node "$fixtures/snippets.mjs" "$root" "$tmp/module" "$tsc"

step "package check passed"
