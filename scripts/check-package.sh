#!/usr/bin/env bash
# Package quality gates on the tarball a publish would upload: publint (package.json fields,
# exports, files) and Are the Types Wrong (types resolve under node10, node16 ESM/CJS, bundler).
# Needs a built dist/ (npm run build). Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.js ] || { echo "check-package: dist/ is not built (npm run build)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm pack --ignore-scripts --silent --pack-destination "$tmp" >/dev/null
tgz=$(ls "$tmp"/*.tgz)
echo "check-package: $(basename "$tgz") ($(du -k "$tgz" | cut -f1) KiB)"
npx --no-install publint run --strict "$tgz"
npx --no-install attw --profile strict --format ascii "$tgz"
