#!/usr/bin/env bash
# Installs the OS packages the SDK's demo, tests and benchmarks use, when any is missing.
# Debian/Ubuntu only; needs root. Prints what is missing and how to get it otherwise.
#   --bench  also the Go clientv3 sources the etcd benchmark builds its Go anchor from
#            (golang-etcd-server-dev, used in GOPATH mode; the suite does not need them)
set -euo pipefail
declare -A want=(
  [etcd]=etcd-server [etcdctl]=etcd-client [containerd]=containerd [runc]=runc [crun]=crun
  [openssl]=openssl [go]=golang-go [cloud-init]=cloud-init
)
missing=()
for bin in "${!want[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || missing+=("${want[$bin]}")
done
if [ "${1:-}" = "--bench" ] && [ ! -d /usr/share/gocode/src/go.etcd.io/etcd/clientv3 ]; then
  missing+=(golang-etcd-server-dev)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing OS packages: $pkgs" >&2
  echo "install them with: sudo apt-get update && sudo apt-get install -y $pkgs" >&2
  exit 1
fi
echo "installing OS packages: $pkgs" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
