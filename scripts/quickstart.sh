#!/usr/bin/env bash
# The README's first command: OS packages (when missing and root), npm ci, then the demo
# (createNode() with the full embedded stack on a temp data dir).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bash scripts/system-deps.sh; then
  echo "The demo needs etcd (etcd-server) and containerd with runc; see the lines above." >&2
  exit 1
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
exec npx tsx examples/quickstart.ts
