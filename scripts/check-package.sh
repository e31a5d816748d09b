#!/usr/bin/env bash
# Builds the Debian package with `cpack -G DEB` from a configured and built build directory and
# checks it: its file list (the binary, the man page, README.md and grants.sql; no test programs),
# its control fields and Depends, that the binary unpacked from it runs (`shadowalter --version`
# names the project's version and its licence, which the copyright file names too), and, where
# man is installed, that the man page formats without warnings. Registered as the ctest test
# debian_package (label unit); it needs no server.
#
# Usage: scripts/check-package.sh BUILD_DIR
#
# Everything it writes, cpack's staging tree and the .deb included, goes to a private temporary
# directory (cpack -B) that is removed on exit, so it can run next to other tests.
set -euo pipefail

if (($# != 1)); then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BUILD_DIR="$(cd "$1" && pwd)"

for tool in cpack dpkg-deb; do
  if ! command -v "${tool}" >/dev/null 2>&1; then
    echo "check-package: ${tool} not found; skipping (not a Debian system?)" >&2
    exit 77
  fi
done
if [[ ! -f "${BUILD_DIR}/CPackConfig.cmake" || ! -x "${BUILD_DIR}/shadowalter" ]]; then
  echo "check-package: ${BUILD_DIR} is not a built shadowalter build directory" >&2
  exit 1
fi

version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "${BUILD_DIR}/CMakeCache.txt")"
if [[ -z "${version}" ]]; then
  echo "check-package: no CMAKE_PROJECT_VERSION in ${BUILD_DIR}/CMakeCache.txt" >&2
  exit 1
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/shadowalter-package.XXXXXX")"
trap 'rm -rf "${scratch}"' EXIT

failures=0
fail() {
  echo "check-package: FAIL: $*" >&2
  failures=$((failures + 1))
}

# 1. Build the package into the scratch directory.
if ! (cd "${BUILD_DIR}" && cpack -G DEB -B "${scratch}/out") >"${scratch}/cpack.log" 2>&1; then
  cat "${scratch}/cpack.log" >&2
  echo "check-package: cpack -G DEB failed" >&2
  exit 1
fi
shopt -s nullglob
debs=("${scratch}"/out/*.deb)
shopt -u nullglob
if ((${#debs[@]} != 1)); then
  cat "${scratch}/cpack.log" >&2
  echo "check-package: expected one .deb in the cpack output, found ${#debs[@]}" >&2
  exit 1
fi
deb="${debs[0]}"
echo "check-package: built $(basename "${deb}")"

# 2. Contents.
dpkg-deb -c "${deb}" | awk '{print $NF}' | sed 's#^\./#/#' >"${scratch}/contents"
for path in /usr/bin/shadowalter /usr/share/man/man1/shadowalter.1 \
  /usr/share/doc/shadowalter/README.md /usr/share/doc/shadowalter/grants.sql \
  /usr/share/doc/shadowalter/events.md \
  /usr/share/doc/shadowalter/docs/design.md /usr/share/doc/shadowalter/docs/operations.md \
  /usr/share/doc/shadowalter/docs/security.md /usr/share/doc/shadowalter/docs/options.md \
  /usr/share/doc/shadowalter/docs/guarantees.md /usr/share/doc/shadowalter/docs/limitations.md \
  /usr/share/doc/shadowalter/docs/events.md \
  /usr/share/doc/shadowalter/copyright; do
  grep -qxF "${path}" "${scratch}/contents" || fail "the package lacks ${path}"
done
for program in unit_tests integration_tests serial_integration_tests sa-loadgen; do
  if grep -q "/${program}\$" "${scratch}/contents"; then
    fail "the package contains the test-only program ${program}"
  fi
done
# Nothing outside /usr.
if grep -v -e '^/$' -e '^/usr/' -e '^/usr$' "${scratch}/contents" >"${scratch}/outside"; then
  fail "files outside /usr: $(tr '\n' ' ' <"${scratch}/outside")"
fi

# 3. Control fields.
field() { dpkg-deb -f "${deb}" "$1"; }
[[ "$(field Package)" == "shadowalter" ]] || fail "Package is '$(field Package)'"
[[ "$(field Version)" == "${version}"* ]] || fail "Version '$(field Version)' is not ${version}"
for name in Maintainer Description Section Architecture; do
  [[ -n "$(field "${name}")" ]] || fail "the ${name} field is empty"
done
depends="$(field Depends)"
echo "check-package: Depends: ${depends}"
for dependency in libmariadb3 libboost-program-options1.74.0 libboost-log1.74.0 \
  libboost-thread1.74.0 libc6 libstdc++6; do
  # Each entry is "name" or "name (>= version)", separated by ", ".
  if ! tr ',' '\n' <<<"${depends}" | sed 's/^ *//; s/ .*//' | grep -qxF "${dependency}"; then
    fail "Depends lacks ${dependency}"
  fi
done

# 4. Unpack it and run the unpacked binary.
root="${scratch}/root"
dpkg-deb -x "${deb}" "${root}"
if ! output="$("${root}/usr/bin/shadowalter" --version 2>&1)"; then
  fail "the unpacked shadowalter --version failed: ${output}"
elif [[ "$(head -n 1 <<<"${output}")" != "shadowalter ${version}" ]]; then
  fail "the unpacked shadowalter --version printed '${output}', not 'shadowalter ${version}' first"
else
  echo "check-package: ${root#"${scratch}/"}/usr/bin/shadowalter --version:"
  sed 's/^/  /' <<<"${output}"
fi
# The licence: the repository's LICENSE, named the same in --version and the copyright file.
grep -q "Apache License" "$(dirname "${BASH_SOURCE[0]}")/../LICENSE" ||
  fail "LICENSE is not the Apache License"
grep -qx "license:        Apache-2.0" <<<"${output}" || fail "--version does not name the licence"
grep -qx "License: Apache-2.0" "${root}/usr/share/doc/shadowalter/copyright" ||
  fail "the copyright file does not name the licence Apache-2.0"
if command -v file >/dev/null 2>&1 && file "${root}/usr/bin/shadowalter" | grep -q 'not stripped'; then
  fail "the packaged binary is not stripped"
fi

# 5. The man page formats cleanly, where man exists.
page="${root}/usr/share/man/man1/shadowalter.1"
if ! command -v man >/dev/null 2>&1; then
  echo "check-package: man not found; not checking that the man page formats"
elif [[ -f "${page}" ]]; then
  if ! MANWIDTH=80 MAN_KEEP_FORMATTING=0 man --warnings -l "${page}" >"${scratch}/man.txt" \
    2>"${scratch}/man.err"; then
    fail "man -l failed: $(cat "${scratch}/man.err")"
  elif [[ -s "${scratch}/man.err" ]]; then
    fail "man -l warns: $(cat "${scratch}/man.err")"
  elif ! grep -q "shadowalter verify" "${scratch}/man.txt"; then
    fail "the formatted man page has no 'shadowalter verify' synopsis"
  else
    echo "check-package: man -l formats the page ($(wc -l <"${scratch}/man.txt") lines)"
  fi
fi

if ((failures > 0)); then
  echo "check-package: ${failures} check(s) failed" >&2
  exit 1
fi
echo "check-package: ok"
