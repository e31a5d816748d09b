#!/usr/bin/env bash
# Installs the Debian packages shadowalter needs to build, test, run its sandbox and benchmark.
# Idempotent: asks dpkg-query first and only calls apt-get for packages that are missing.
# It never starts MariaDB as a service (the sandbox runs its own mariadbd processes on other ports):
# while it installs, a policy-rc.d that denies every service start is in place, unless the
# machine has one of its own.
set -euo pipefail

PACKAGES=(
  # build
  g++ cmake pkg-config
  libmariadb-dev
  libboost-program-options-dev libboost-log-dev libboost-thread-dev
  rapidjson-dev libgtest-dev
  # fuzzing (scripts/fuzz.sh): clang, and libclang-rt-dev for libFuzzer and the sanitizers'
  # runtimes (only recommended by clang, and this script installs without recommends)
  clang libclang-rt-dev
  # sandbox (scripts/sandbox.sh)
  mariadb-server mariadb-client
  # the sandbox's Galera Cluster (scripts/sandbox.sh galera-start): the provider, and rsync for
  # the nodes' state transfers
  galera-4 rsync
  # the sandbox's TLS certificates (a bare debian:12 has no openssl)
  openssl
  # tests: only used to parse docker-compose.yml (scripts/check-compose.sh)
  docker-compose
  # packaging (cpack -G DEB derives Depends with dpkg-shlibdeps and file) and its test
  # (scripts/check-package.sh formats the man page with man)
  dpkg-dev file man-db
  # bench
  percona-toolkit sysbench
)

is_installed() {
  local status
  status="$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)"
  [[ "${status}" == "installed" ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! is_installed "${pkg}"; then
    missing+=("${pkg}")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: not root and sudo is not available; install: ${missing[*]}" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

# Package scripts ask invoke-rc.d / deb-systemd-invoke before starting a service; exit 101 is
# "not allowed". Ours only if the machine has none, removed again however this script ends.
POLICY=/usr/sbin/policy-rc.d
if [[ ! -e "${POLICY}" ]]; then
  "${SUDO[@]}" sh -c "printf '#!/bin/sh\n# scripts/install-deps.sh: no service starts while it installs\nexit 101\n' > ${POLICY} && chmod 755 ${POLICY}"
  trap '"${SUDO[@]}" rm -f "${POLICY}"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y --no-install-recommends \
  "${missing[@]}"

# Check again: apt-get can succeed while a package is only unpacked (e.g. a postinst that could not
# start a service under policy-rc.d is still fine, but a half-configured package is not).
still_missing=()
for pkg in "${missing[@]}"; do
  if ! is_installed "${pkg}"; then
    still_missing+=("${pkg}")
  fi
done
if ((${#still_missing[@]} > 0)); then
  echo "install-deps: still not installed: ${still_missing[*]}" >&2
  exit 1
fi
echo "install-deps: done"
