#!/usr/bin/env bash
# The test command: installs dependencies, builds, starts the MariaDB sandbox (primary + replica)
# and runs every ctest test against it; then runs each libFuzzer target for a bounded time
# (scripts/fuzz.sh, FUZZ_SECONDS each, 15 by default; FUZZ_SECONDS=0 skips them).
#
#   scripts/test.sh              # everything
#   scripts/test.sh -L unit      # extra arguments go to ctest; the unit tests alone need no
#                                # sandbox and no fuzzers, so neither is started nor built
#   SHADOWALTER_KEEP_SANDBOX=1 scripts/test.sh   # leave the sandbox running afterwards
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${REPO_DIR}"

BUILD_DIR="${SHADOWALTER_BUILD_DIR:-build}"
JOBS=2
SUMMARY=()

now_ms() { echo $(($(date +%s%N) / 1000000)); }

fmt_ms() {
  local ms="$1"
  printf '%d.%03ds' $((ms / 1000)) $((ms % 1000))
}

# step NAME COMMAND...: runs the command, prints and records how long it took.
step() {
  local name="$1" start rc=0 elapsed
  shift
  echo
  echo "==> ${name}"
  start="$(now_ms)"
  "$@" || rc=$?
  elapsed=$(($(now_ms) - start))
  if ((rc == 0)); then
    SUMMARY+=("$(printf '%-13s %10s  ok' "${name}" "$(fmt_ms "${elapsed}")")")
    echo "==> ${name}: ok in $(fmt_ms "${elapsed}")"
  else
    SUMMARY+=("$(printf '%-13s %10s  FAILED (exit %d)' "${name}" "$(fmt_ms "${elapsed}")" "${rc}")")
    echo "==> ${name}: FAILED (exit ${rc}) after $(fmt_ms "${elapsed}")" >&2
  fi
  return "${rc}"
}

SANDBOX_STARTED=0
on_exit() {
  local rc=$?
  if ((SANDBOX_STARTED)); then
    if [[ "${SHADOWALTER_KEEP_SANDBOX:-0}" == 1 ]]; then
      echo
      echo "==> sandbox left running (SHADOWALTER_KEEP_SANDBOX=1); stop it with: scripts/sandbox.sh stop"
    else
      step stop-sandbox bash scripts/sandbox.sh stop || true
    fi
  fi
  echo
  echo "==> summary"
  local line
  for line in "${SUMMARY[@]}"; do
    echo "    ${line}"
  done
  if ((rc == 0)); then
    echo "==> PASSED"
  else
    echo "==> FAILED (exit ${rc})" >&2
  fi
  exit "${rc}"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Only the unit tests asked for (-L unit, -Lunit, --label-regex unit): no server, no fuzzing.
UNIT_ONLY=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    -L | --label-regex) [[ "${args[i + 1]:-}" == unit ]] && UNIT_ONLY=1 ;;
    -Lunit | --label-regex=unit) UNIT_ONLY=1 ;;
  esac
done

step install-deps bash scripts/install-deps.sh
step configure cmake -S . -B "${BUILD_DIR}" -DCMAKE_BUILD_TYPE=RelWithDebInfo
step build cmake --build "${BUILD_DIR}" -j"${JOBS}"

if ((!UNIT_ONLY)); then
  SANDBOX_STARTED=1
  step sandbox bash scripts/sandbox.sh start
  eval "$(bash scripts/sandbox.sh env)"
  export SHADOWALTER_REQUIRE_SANDBOX=1
fi

step ctest ctest --test-dir "${BUILD_DIR}" --output-on-failure -j"${JOBS}" --timeout 600 "$@"

if ((!UNIT_ONLY)) && [[ "${FUZZ_SECONDS:-15}" != 0 ]]; then
  step fuzz bash scripts/fuzz.sh
fi
