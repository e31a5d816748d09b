#!/usr/bin/env bash
# The demo: an online ADD COLUMN + ADD INDEX on a 1M-row table while an application writes to it.
#
#   scripts/demo.sh                  # DEMO_ROWS=1000000 by default
#   DEMO_ROWS=200000 scripts/demo.sh
#
# Builds shadowalter, starts the MariaDB sandbox (primary + replica), (re)creates demo.orders with
# DEMO_ROWS rows, runs sa-loadgen at DEMO_RATE (50) transactions/s against it, and runs
#   shadowalter --alter "ADD COLUMN shipped_at DATETIME NULL, ADD INDEX idx_shipped_at (shipped_at)" \
#     --execute h=...,D=demo,t=orders
# meanwhile. Then shows the new table definition, the load's latency summary, and checks that the
# primary and the replica have the same number of rows. The sandbox is left running.
# Exits non-zero when shadowalter fails or the replica disagrees.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${REPO_DIR}"

DEMO_ROWS="${DEMO_ROWS:-1000000}"
DEMO_RATE="${DEMO_RATE:-50}"
DEMO_LOAD_SECONDS="${DEMO_LOAD_SECONDS:-3600}"  # upper bound; the load is stopped after the change
DEMO_ALTER="${DEMO_ALTER:-ADD COLUMN shipped_at DATETIME NULL, ADD INDEX idx_shipped_at (shipped_at)}"
BUILD_DIR="${SHADOWALTER_BUILD_DIR:-build}"

if ! [[ "${DEMO_ROWS}" =~ ^[0-9]+$ ]] || ((DEMO_ROWS < 1 || DEMO_ROWS > 1000000000)); then
  echo "demo: DEMO_ROWS must be a number in 1..1000000000" >&2
  exit 2
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }
fmt_ms() { printf '%d.%03ds' $(($1 / 1000)) $(($1 % 1000)); }
banner() {
  echo
  echo "==> $*"
}
DEMO_START="$(now_ms)"

# --- build and sandbox ---------------------------------------------------------------------------

banner "installing dependencies"
bash scripts/install-deps.sh

banner "building"
t0="$(now_ms)"
cmake -S . -B "${BUILD_DIR}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "${BUILD_DIR}" -j2 --target shadowalter sa-loadgen
echo "built in $(fmt_ms $(($(now_ms) - t0)))"

banner "starting the sandbox"
bash scripts/sandbox.sh start
eval "$(bash scripts/sandbox.sh env)"
export MYSQL_PWD="${SHADOWALTER_PASSWORD}" # for mariadb, sa-loadgen and shadowalter: never on argv

primary() {
  mariadb --protocol=TCP -h "${SHADOWALTER_HOST}" -P "${SHADOWALTER_PRIMARY_PORT}" \
    -u "${SHADOWALTER_USER}" "$@"
}
replica() {
  mariadb --protocol=TCP -h "${SHADOWALTER_HOST}" -P "${SHADOWALTER_REPLICA_PORT}" \
    -u "${SHADOWALTER_USER}" "$@"
}

# --- data ----------------------------------------------------------------------------------------

banner "creating demo.orders with ${DEMO_ROWS} rows"
t0="$(now_ms)"
# The whole demo database goes: that also removes what an interrupted earlier run left behind.
primary -e "DROP DATABASE IF EXISTS demo"
primary <sql/demo_schema.sql
{
  echo "SET @demo_rows = ${DEMO_ROWS};"
  cat sql/demo_load.sql
} | primary
echo "loaded in $(fmt_ms $(($(now_ms) - t0)))"

banner "waiting for the replica to catch up"
t0="$(now_ms)"
bash scripts/sandbox.sh sync 900
echo "replica caught up in $(fmt_ms $(($(now_ms) - t0)))"

# --- load + schema change ------------------------------------------------------------------------

LOAD_LOG="${SHADOWALTER_SANDBOX_DIR}/demo-loadgen.log"
LOAD_PID=""
stop_load() {
  if [[ -n "${LOAD_PID}" ]] && kill -0 "${LOAD_PID}" 2>/dev/null; then
    kill -TERM "${LOAD_PID}" 2>/dev/null || true
    wait "${LOAD_PID}" 2>/dev/null || true
  fi
  LOAD_PID=""
}
trap stop_load EXIT

banner "starting the load: ${DEMO_RATE} txn/s (UPDATE + INSERT per transaction)"
"${BUILD_DIR}/sa-loadgen" --host "${SHADOWALTER_HOST}" --port "${SHADOWALTER_PRIMARY_PORT}" \
  --user "${SHADOWALTER_USER}" --database demo --table orders --rate "${DEMO_RATE}" \
  --seconds "${DEMO_LOAD_SECONDS}" --id-max "${DEMO_ROWS}" >"${LOAD_LOG}" 2>&1 &
LOAD_PID=$!
sleep 3 # a little baseline before the change starts
if ! kill -0 "${LOAD_PID}" 2>/dev/null; then
  cat "${LOAD_LOG}" >&2
  echo "demo: the load generator stopped early" >&2
  exit 1
fi

DSN="h=${SHADOWALTER_HOST},P=${SHADOWALTER_PRIMARY_PORT},u=${SHADOWALTER_USER},D=demo,t=orders"
banner "shadowalter --alter \"${DEMO_ALTER}\" --execute ${DSN}"
t0="$(now_ms)"
sa_rc=0
"${BUILD_DIR}/shadowalter" --alter "${DEMO_ALTER}" --execute "${DSN}" || sa_rc=$?
SA_MS=$(($(now_ms) - t0))
if ((sa_rc == 0)); then
  echo "shadowalter finished in $(fmt_ms "${SA_MS}")"
else
  echo "demo: shadowalter failed with exit code ${sa_rc} after $(fmt_ms "${SA_MS}")" >&2
fi

banner "stopping the load"
stop_load
cat "${LOAD_LOG}"

# --- result --------------------------------------------------------------------------------------

banner "SHOW CREATE TABLE demo.orders (primary)"
primary -e "SHOW CREATE TABLE demo.orders\G"

banner "row counts"
sync_rc=0
bash scripts/sandbox.sh sync 900 || sync_rc=$?
primary_rows="$(primary -N -e "SELECT COUNT(*) FROM demo.orders")"
replica_rows="$(replica -N -e "SELECT COUNT(*) FROM demo.orders")"
replica_has_column="$(replica -N -e "SELECT COUNT(*) FROM information_schema.COLUMNS
  WHERE TABLE_SCHEMA = 'demo' AND TABLE_NAME = 'orders' AND COLUMN_NAME = 'shipped_at'")"
echo "primary: ${primary_rows} rows"
echo "replica: ${replica_rows} rows"

status=0
if ((sa_rc != 0)); then
  status=1
fi
if ((sync_rc != 0)) || [[ "${primary_rows}" != "${replica_rows}" ]]; then
  echo "demo: the primary and the replica differ" >&2
  status=1
fi
if ((sa_rc == 0)) && [[ "${DEMO_ALTER}" == *shipped_at* ]] && [[ "${replica_has_column}" != 1 ]]; then
  echo "demo: the replica's demo.orders has no shipped_at column" >&2
  status=1
fi

banner "summary"
echo "rows:         ${DEMO_ROWS} loaded; primary ${primary_rows}, replica ${replica_rows}"
echo "shadowalter:  exit ${sa_rc} in $(fmt_ms "${SA_MS}")"
echo "load:         $(grep -m1 '^loadgen: txns=' "${LOAD_LOG}" || echo 'no summary')"
echo "demo total:   $(fmt_ms $(($(now_ms) - DEMO_START)))"
echo
echo "The sandbox is still running (scripts/sandbox.sh status). Stop it with: scripts/sandbox.sh stop"
echo "(or delete it with: scripts/sandbox.sh reset)"
if ((status == 0)); then
  echo "==> demo OK"
else
  echo "==> demo FAILED" >&2
fi
exit "${status}"
