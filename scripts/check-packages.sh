#!/usr/bin/env bash
# Packs every published workspace (build first) and checks each tarball as a registry would serve it:
#   - it holds LICENSE, README.md and package.json, and no source map or declaration map (sources are not shipped);
#   - publint (--strict: warnings fail too);
#   - @arethetypeswrong/cli (offline: --no-definitely-typed), with these rules relaxed, each for a reason:
#       --profile node16: skips node10 resolution (`moduleResolution: "node"`), deprecated since TypeScript 5 and unable
#         to resolve subpath exports (`@cjeval/core/node`, `@cjeval/runner/store`); consumers resolve with node16, nodenext
#         or bundler, all of which attw still checks.
#       --ignore-rules cjs-resolves-to-esm: the packages are ES modules whose exports end in a `default` condition, so
#         CommonJS loads them with `require()` on Node >= 20.19 (require(esm), which `engines` demands) and TypeScript
#         >= 5.8 types that `require()` under `module: nodenext`. attw 0.18 bundles TypeScript 5.6, which predates
#         require(esm), and still calls the node16-CJS resolution "ESM (dynamic import only)". test/packaging (the
#         consumer tests) requires every package from CommonJS for real.
# Usage: bash scripts/check-packages.sh [package-dir…]   (default: every non-private workspace)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ $# -gt 0 ]; then dirs=("$@"); else dirs=(packages/* apps/*); fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

failed=0
for dir in "${dirs[@]}"; do
  [ -f "$dir/package.json" ] || continue
  if [ "$(node -p "require('./$dir/package.json').private === true")" = "true" ]; then continue; fi
  name=$(node -p "require('./$dir/package.json').name")
  echo "== $name ($dir)"
  tgz=$(cd "$dir" && npm pack --pack-destination "$out" --silent --ignore-scripts | tail -n 1)
  tarball="$out/$tgz"
  listing=$(tar -tzf "$tarball")
  for needed in package/LICENSE package/README.md package/package.json; do
    if ! grep -qx "$needed" <<<"$listing"; then echo "  missing $needed"; failed=1; fi
  done
  if grep -E '\.map$' <<<"$listing"; then echo "  ships source maps without sources (above)"; failed=1; fi
  if ! grep -q '^package/dist/' <<<"$listing"; then echo "  no dist/ (build first)"; failed=1; fi
  "$root/node_modules/.bin/publint" run "$tarball" --strict || failed=1
  "$root/node_modules/.bin/attw" "$tarball" --no-definitely-typed --profile node16 --ignore-rules cjs-resolves-to-esm \
    --format table-flipped --no-emoji --no-color || failed=1
done

if [ "$failed" -ne 0 ]; then
  echo "check-packages: FAILED"
  exit 1
fi
echo "check-packages: every package passed"
