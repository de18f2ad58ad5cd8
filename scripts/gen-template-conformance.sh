#!/bin/sh
# Regenerates the Go text/template conformance corpus (test/conformance/README.md):
#   1. cases/upstream.json  from Go's own text/template test tables (test/conformance/extract),
#   2. cases/project.json   from test/conformance/project-cases.mjs,
#   3. expected/go.json     by running every case through real Go (test/conformance/oracle).
# Needs Go (Debian golang-go; stdlib only, GOPATH mode, no network) and Node.
set -eu
cd "$(dirname "$0")/.."
dir=test/conformance
export GO111MODULE=off GOFLAGS= CGO_ENABLED=0
export GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/k3s-node-kit-gocache}"
src="${GO_TEMPLATE_SRC:-$(go env GOROOT)/src/text/template}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./$dir/extract -src "$src" >"$tmp/upstream.json"
node $dir/project-cases.mjs >"$tmp/project.json"
mv "$tmp/upstream.json" "$tmp/project.json" $dir/cases/
mkdir -p $dir/expected
go run ./$dir/oracle $dir/cases >"$tmp/go.json"
# Two runs must agree (nothing in the results may depend on addresses or map order).
go run ./$dir/oracle $dir/cases >"$tmp/go2.json"
cmp -s "$tmp/go.json" "$tmp/go2.json" || { echo "gen-template-conformance: oracle output is not deterministic" >&2; exit 1; }
mv "$tmp/go.json" $dir/expected/go.json
echo "gen-template-conformance: wrote $dir/cases/upstream.json, $dir/cases/project.json, $dir/expected/go.json ($(go version))"
