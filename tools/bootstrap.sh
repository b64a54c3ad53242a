#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for berth: Debian packages the tests and the demo use,
# pnpm itself, and the workspace's dependencies (which also compiles native/). Idempotent: apt-get
# update runs only when a package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2
APT_PACKAGES=(
  busybox-static      # the test rootfs and the demo image
  runc                # reference runtime for the runtime tests and the benchmarks
  crun                # benchmark peer (it refuses hybrid cgroup hosts; the bench says so)
  libseccomp-dev      # seccomp profile compilation in native/
  docker-registry     # a real registry on 127.0.0.1 for pull/push tests
  skopeo umoci        # OCI layout round trips
  containernetworking-plugins  # CNI plugins: berthd's bridge networks at run time (and iptables, portmap's need)
  iproute2 nftables   # nft: berth's network isolation and NAT rules at run time; ip: checks in tests
  zstd                # reference zstd encoder for the layer tests
  openssl             # self-signed certificates for the insecure-registry tests
  make g++ python3    # node-gyp builds native/ and better-sqlite3
  hyperfine           # benchmarks
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm $PNPM_VERSION"
  npm install -g -E "pnpm@$PNPM_VERSION" --loglevel=error
fi

export TURBO_TELEMETRY_DISABLED=1
# pnpm 12 does not pass .npmrc's nodedir to build scripts, so node-gyp (better-sqlite3's) would try to
# download Node's headers; point it at the running Node's own (official tarballs and Debian both have them).
node_prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node_api.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi
pnpm install --frozen-lockfile --reporter=append-only
