#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang (a build directory of their own, the
# main build stays gcc) and runs each for a bounded time, seeded from tests/fuzz/<target>/.
#
#   scripts/fuzz.sh                  # every target, FUZZ_SECONDS (default 15) each
#   scripts/fuzz.sh alter dsn        # only these
#   FUZZ_SECONDS=600 scripts/fuzz.sh options
#
# Targets: dsn (ParseDsn and the argv scrubber), options (ParseCommandLine over an argv),
# config_file (the --config parser), alter (the lexer, the --alter analysis, quoting, the
# CREATE TABLE rewrite). New inputs go to <build>/corpus/<target>/, not into the repository. A
# finding (crash, sanitizer report or a broken invariant) stops the run with exit 1 and leaves the
# input in <build>/findings/; reproduce it with <build>/fuzz_<target> FILE. Fix it, then keep
# the input in tests/fuzz/<target>/ as a regression seed.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${REPO_DIR}"

BUILD_DIR="${SHADOWALTER_FUZZ_BUILD_DIR:-build-fuzz}"
SECONDS_EACH="${FUZZ_SECONDS:-15}"
ALL_TARGETS=(dsn options config_file alter)
TARGETS=("$@")
((${#TARGETS[@]} > 0)) || TARGETS=("${ALL_TARGETS[@]}")
[[ "${SECONDS_EACH}" =~ ^[0-9]+$ ]] || { echo "fuzz: bad FUZZ_SECONDS: ${SECONDS_EACH}" >&2; exit 2; }

command -v clang++ >/dev/null 2>&1 || { echo "fuzz: clang++ not found (run scripts/install-deps.sh)" >&2; exit 1; }
cmake -S . -B "${BUILD_DIR}" -DSHADOWALTER_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "${BUILD_DIR}" -j2

mkdir -p "${BUILD_DIR}/findings"
for target in "${TARGETS[@]}"; do
  [[ -d "tests/fuzz/${target}" ]] || { echo "fuzz: no target ${target}" >&2; exit 2; }
  corpus="${BUILD_DIR}/corpus/${target}"
  mkdir -p "${corpus}"
  dict=()
  [[ -f "tests/fuzz/${target}.dict" ]] && dict=(-dict="tests/fuzz/${target}.dict")
  log="${BUILD_DIR}/findings/${target}.log"
  echo "fuzz: ${target} for ${SECONDS_EACH} s"
  if ! "${BUILD_DIR}/fuzz_${target}" "${dict[@]}" -max_total_time="${SECONDS_EACH}" \
      -print_final_stats=1 -artifact_prefix="${BUILD_DIR}/findings/${target}-" \
      "${corpus}" "tests/fuzz/${target}" >"${log}" 2>&1; then
    grep -E "invariant failed|ERROR: |SUMMARY|Test unit written" -A1 "${log}" >&2 || tail -n 30 "${log}" >&2
    echo "fuzz: ${target} found a problem; the input is in ${BUILD_DIR}/findings/, the log in ${log}" >&2
    exit 1
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}")"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "${log}")"
  echo "fuzz: ${target}: ${runs:-?} inputs, ${rate:-?}/s, no finding"
done
