#!/usr/bin/env bash
# Benchmark: shadowalter against pt-online-schema-change and a raw INSERT ... SELECT copy, idle and
# under a fixed-rate write load, on the local sandbox (docs/benchmarks.md explains the method).
#
#   scripts/bench.sh [--rows N] [--reps R] [--load-rate T] [--chunk-time S] [--max-lag S]
#                    [--threads "N ..."] [--tools "T ..."] [--modes "M ..."]
#                    [--sa-options "OPTIONS"] [--quick] [--no-doc] [--keep-sandbox]
#
#   --rows N         rows in demo.orders for every run (default 1000000)
#   --reps R         repetitions; the table shows medians over them (default 3)
#   --load-rate T    sa-loadgen transactions/s in the "load" mode (default 200)
#   --chunk-time S   --chunk-time for both tools (default 0.5)
#   --max-lag S      --max-lag for both tools (default 1)
#   --threads "N ..." also run shadowalter --threads N, idle, for each N (default "2 4"; "" none)
#   --tools "T ..."  only these of sa sa_nv pt raw (default: all; the --threads runs are sa_tN)
#   --modes "M ..."  only these of idle load (default: both; load also runs the baseline)
#   --sa-options "OPTIONS"  extra options for every shadowalter run, e.g. "--max-checkpoint-age 85"
#   --quick          --rows 200000 --reps 1 (explicit --rows/--reps still win)
#   --no-doc         print the results only; do not append them to docs/benchmarks.md
#   --keep-sandbox   leave the sandbox running at the end even if this script started it
#
# Each repetition runs, on a fresh identical copy of demo.orders (N rows) and after the replica
# has caught up, for mode idle and mode load (order alternating between repetitions, tools
# rotating):
#   shadowalter --alter "ADD COLUMN bench_c INT NULL" --execute --no-attempt-instant --chunk-time S --max-lag L DSN
#   shadowalter ... --no-verify                              (idle only: the verification share)
#   shadowalter ... --threads N                              (idle only: the scaling of --threads)
#   pt-online-schema-change --alter "..." --execute --chunk-time S --max-lag L
#       --recursion-method=none --check-slave-lag h=...,P=<replica> --charset utf8mb4 DSN
#   raw: CREATE TABLE demo.orders_raw LIKE demo.orders; ALTER TABLE demo.orders_raw ...;
#        INSERT INTO demo.orders_raw (...) SELECT ... FROM demo.orders
# and, once per repetition, a baseline: the same load for a similar time with no migration.
# In the load mode sa-loadgen starts 0.5 s before the tool and stops 1 s after it ends (so the
# transactions queued behind the tool's last lock are measured, not dropped). Replica lag is polled
# every 0.25 s from the tool's start until the replica has applied everything the run wrote.
# It prints one table of medians, checks the targets, and appends both to docs/benchmarks.md.
#
# Environment: SHADOWALTER_BUILD_DIR (default build), and the sandbox's SHADOWALTER_SANDBOX_DIR,
# SHADOWALTER_PRIMARY_PORT, SHADOWALTER_REPLICA_PORT, SHADOWALTER_SANDBOX_MYSQLD_OPTS (see
# scripts/sandbox.sh; the options apply when this script starts the sandbox). The sandbox is
# started when it is not running (and then stopped at the end). The `demo` database on the
# sandbox is dropped and rebuilt, as scripts/demo.sh does. Per-run logs go to
# <sandbox dir>/bench-logs/<timestamp>/. Exits non-zero when a run failed or a check found a
# difference.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${REPO_DIR}"

# The exact command line, for the record (with the environment that changes what it does).
CMDLINE="scripts/bench.sh"
for a in "$@"; do CMDLINE+=" $(printf '%q' "${a}")"; done
for v in SHADOWALTER_BUILD_DIR SHADOWALTER_SANDBOX_DIR SHADOWALTER_PRIMARY_PORT SHADOWALTER_REPLICA_PORT SHADOWALTER_SANDBOX_MYSQLD_OPTS; do
  if [[ -n "${!v:-}" ]]; then CMDLINE="${v}=$(printf '%q' "${!v}") ${CMDLINE}"; fi
done

ROWS=1000000
REPS=3
LOAD_RATE=200
CHUNK_TIME=0.5
MAX_LAG=1
QUICK=0
THREADS="2 4"
TOOLS="sa sa_nv pt raw"
MODES="idle load"
SA_OPTIONS=""
WRITE_DOC=1
KEEP_SANDBOX=0
rows_given=0
reps_given=0

die() {
  echo "bench: error: $*" >&2
  exit 2
}
usage() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while (($# > 0)); do
  arg="$1"
  value=""
  if [[ "${arg}" == --*=* ]]; then
    value="${arg#*=}"
    arg="${arg%%=*}"
  fi
  case "${arg}" in
    --rows | --reps | --load-rate | --chunk-time | --max-lag | --threads | --tools | --modes | --sa-options)
      if [[ "$1" != *=* ]]; then
        (($# >= 2)) || die "missing value for ${arg}"
        value="$2"
        shift
      fi
      case "${arg}" in
        --rows) ROWS="${value}" rows_given=1 ;;
        --reps) REPS="${value}" reps_given=1 ;;
        --load-rate) LOAD_RATE="${value}" ;;
        --chunk-time) CHUNK_TIME="${value}" ;;
        --max-lag) MAX_LAG="${value}" ;;
        --threads) THREADS="${value}" ;;
        --tools) TOOLS="${value}" ;;
        --modes) MODES="${value}" ;;
        --sa-options) SA_OPTIONS="${value}" ;;
      esac
      ;;
    --quick) QUICK=1 ;;
    --no-doc) WRITE_DOC=0 ;;
    --keep-sandbox) KEEP_SANDBOX=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      die "unknown argument: $1"
      ;;
  esac
  shift
done
if ((QUICK)); then
  ((rows_given)) || ROWS=200000
  ((reps_given)) || REPS=1
fi

{ [[ "${ROWS}" =~ ^[0-9]+$ ]] && ((ROWS >= 1000 && ROWS <= 1000000000)); } || die "--rows must be in 1000..1000000000"
{ [[ "${REPS}" =~ ^[0-9]+$ ]] && ((REPS >= 1 && REPS <= 100)); } || die "--reps must be in 1..100"
is_number() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }
{ is_number "${LOAD_RATE}" && awk -v x="${LOAD_RATE}" 'BEGIN { exit !(x > 0) }'; } || die "--load-rate must be a number > 0"
{ is_number "${CHUNK_TIME}" && awk -v x="${CHUNK_TIME}" 'BEGIN { exit !(x > 0) }'; } || die "--chunk-time must be a number > 0"
is_number "${MAX_LAG}" || die "--max-lag must be a number >= 0"
for n in ${THREADS}; do
  { [[ "${n}" =~ ^[0-9]+$ ]] && ((n >= 2 && n <= 32)); } || die "--threads takes numbers in 2..32"
done
for t in ${TOOLS}; do
  [[ " sa sa_nv pt raw " == *" ${t} "* ]] || die "--tools takes sa, sa_nv, pt and raw, not ${t}"
done
for mo in ${MODES}; do
  [[ "${mo}" == idle || "${mo}" == load ]] || die "--modes takes idle and load, not ${mo}"
done
[[ -n "${TOOLS}${THREADS}" && -n "${MODES}" ]] || die "nothing to run"
THREAD_TOOLS=""
for n in ${THREADS}; do THREAD_TOOLS+=" sa_t${n}"; done
# "in LIST WORD": whether WORD is one of LIST's words.
in_list() { [[ " $1 " == *" $2 "* ]]; }

BUILD_DIR="${SHADOWALTER_BUILD_DIR:-build}"
DOC="${REPO_DIR}/docs/benchmarks.md"
ALTER="ADD COLUMN bench_c INT NULL"  # compared as a copy: shadowalter runs with --no-attempt-instant
LOAD_TAIL=1 # seconds the load goes on after the tool ends
NEW_COLUMN=bench_c

now_ms() { echo $(($(date +%s%N) / 1000000)); }
banner() {
  echo
  echo "==> $*"
}
calc() { awk "BEGIN { print $1 }"; }
fmt() { awk -v x="$2" "BEGIN { printf \"$1\", x }"; }
BENCH_START="$(now_ms)"

# --- dependencies, build, sandbox ------------------------------------------------------------------

banner "installing dependencies"
bash scripts/install-deps.sh
if [[ ! -x /usr/bin/time ]]; then
  # GNU time gives the tools' peak RSS (%M); it is not in install-deps.sh's list.
  echo "bench: installing GNU time"
  SUDO=()
  [[ "$(id -u)" -eq 0 ]] || SUDO=(sudo)
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends time
fi
command -v pt-online-schema-change >/dev/null || die "pt-online-schema-change not found"

banner "building in ${BUILD_DIR}"
cmake -S . -B "${BUILD_DIR}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "${BUILD_DIR}" -j2 --target shadowalter sa-loadgen
SHADOWALTER="${BUILD_DIR}/shadowalter"
LOADGEN="${BUILD_DIR}/sa-loadgen"

banner "sandbox"
STARTED_SANDBOX=0
if bash scripts/sandbox.sh status >/dev/null 2>&1; then
  echo "the sandbox is running"
else
  bash scripts/sandbox.sh start
  STARTED_SANDBOX=1
fi
eval "$(bash scripts/sandbox.sh env)"
export MYSQL_PWD="${SHADOWALTER_PASSWORD}" # for mariadb, sa-loadgen, shadowalter and pt-osc
H="${SHADOWALTER_HOST}"
PP="${SHADOWALTER_PRIMARY_PORT}"
RP="${SHADOWALTER_REPLICA_PORT}"
U="${SHADOWALTER_USER}"

primary() { mariadb --protocol=TCP -h "${H}" -P "${PP}" -u "${U}" --default-character-set=utf8mb4 "$@"; }
replica() { mariadb --protocol=TCP -h "${H}" -P "${RP}" -u "${U}" --default-character-set=utf8mb4 "$@"; }
pval() { primary -N -B -e "$1"; }
rval() { replica -N -B -e "$1"; }
sync_replica() { bash scripts/sandbox.sh sync 1800 >/dev/null; }

LOG_DIR="${SHADOWALTER_SANDBOX_DIR}/bench-logs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "${LOG_DIR}"
RESULTS="${LOG_DIR}/results.tsv"
: >"${RESULTS}"
WARNINGS=() # something went wrong: the exit code is 1
warn() {
  echo "bench: WARNING: $*" >&2
  WARNINGS+=("$*")
}
NOTES=() # worth knowing, not wrong
note() {
  echo "bench: note: $*"
  NOTES+=("$*")
}

# --- background helpers (lag monitor, load) --------------------------------------------------------

LOAD_PID=""
LAG_PID=""
LAG_FLAG="${LOG_DIR}/.lag-monitor-on"

cleanup() {
  local rc=$?
  rm -f "${LAG_FLAG}"
  if [[ -n "${LOAD_PID}" ]] && kill -0 "${LOAD_PID}" 2>/dev/null; then
    kill -TERM "${LOAD_PID}" 2>/dev/null || true
    wait "${LOAD_PID}" 2>/dev/null || true
  fi
  if [[ -n "${LAG_PID}" ]]; then
    wait "${LAG_PID}" 2>/dev/null || true
  fi
  if ((STARTED_SANDBOX && !KEEP_SANDBOX)); then
    banner "stopping the sandbox (this script started it)"
    bash scripts/sandbox.sh stop || true
  fi
  exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Polls SHOW SLAVE STATUS on the replica every 0.25 s over one connection; at the end, writes
# "<max Seconds_Behind_Master> <NULL samples> <samples>" to $1.
lag_monitor_start() {
  local out="$1"
  touch "${LAG_FLAG}"
  (
    while [[ -e "${LAG_FLAG}" ]]; do
      echo 'SHOW SLAVE STATUS\G'
      sleep 0.25
    done
  ) | replica -B 2>/dev/null |
    awk '/^ *Seconds_Behind_Master:/ { n++; v = $2; if (v == "NULL" || v == "") nulls++; else if (v + 0 > max) max = v + 0 }
         END { printf "%d %d %d\n", max, nulls, n }' >"${out}" &
  LAG_PID=$!
}
lag_monitor_stop() {
  rm -f "${LAG_FLAG}"
  wait "${LAG_PID}" 2>/dev/null || true
  LAG_PID=""
}

load_start() {
  local seconds="$1" log="$2"
  SA_LOADGEN_TIMELINE="${log%.loadgen}.timeline" \
    "${LOADGEN}" --host "${H}" --port "${PP}" --user "${U}" --database demo --table orders \
    --rate "${LOAD_RATE}" --seconds "${seconds}" --id-max "${ROWS}" >"${log}" 2>&1 &
  LOAD_PID=$!
  sleep 0.5 # connected and running before the tool starts
  kill -0 "${LOAD_PID}" 2>/dev/null || {
    cat "${log}" >&2
    die "sa-loadgen stopped early"
  }
}
load_stop() {
  if [[ -n "${LOAD_PID}" ]]; then
    kill -TERM "${LOAD_PID}" 2>/dev/null || true
    wait "${LOAD_PID}" 2>/dev/null || true
    LOAD_PID=""
  fi
}
# "txns errors p50 p99 errors_by_code unfinished" from a sa-loadgen log.
load_summary() {
  local log="$1" line detail
  line="$(grep -m1 '^loadgen: txns=' "${log}" || true)"
  if [[ -z "${line}" ]]; then
    echo "NA NA NA NA - NA"
    return
  fi
  detail="$(grep -m1 '^loadgen: seconds=' "${log}" || true)"
  awk -v d="${detail}" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      n = split(d, w, " ")
      for (i = 2; i <= n; i++) { split(w[i], kv, "="); f[kv[1]] = kv[2] }
      if (f["errors_by_code"] == "") f["errors_by_code"] = "-"
      if (f["unfinished"] == "") f["unfinished"] = "NA"
      print f["txns"], f["errors"], f["p50_ms"], f["p99_ms"], f["errors_by_code"], f["unfinished"] }' <<<"${line}"
}

# --- data ------------------------------------------------------------------------------------------

# A fresh demo.orders: an identical copy of demo.orders_pristine on both servers. It is written on
# each server with sql_log_bin=0 (the pristine table itself was replicated), so the refresh does
# not flood the binlog or keep the replica busy; leftovers of every tool go with it.
refresh_table() {
  sync_replica
  local drops
  drops="$(pval "SELECT GROUP_CONCAT(CONCAT('demo.\`', TABLE_NAME, '\`'))
      FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'demo' AND TABLE_NAME <> 'orders_pristine'
        AND TABLE_TYPE = 'BASE TABLE'")"
  local stmt="SET SESSION sql_log_bin = 0;"
  if [[ -n "${drops}" && "${drops}" != NULL ]]; then stmt+=" DROP TABLE IF EXISTS ${drops};"; fi
  stmt+=" CREATE TABLE demo.orders LIKE demo.orders_pristine;
      INSERT INTO demo.orders SELECT * FROM demo.orders_pristine;"
  # Drop on the replica whatever the primary had (the same set, once in sync) plus the same list.
  local rdrops
  rdrops="$(rval "SELECT GROUP_CONCAT(CONCAT('demo.\`', TABLE_NAME, '\`'))
      FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'demo' AND TABLE_NAME <> 'orders_pristine'
        AND TABLE_TYPE = 'BASE TABLE'")"
  local rstmt="SET SESSION sql_log_bin = 0;"
  if [[ -n "${rdrops}" && "${rdrops}" != NULL ]]; then rstmt+=" DROP TABLE IF EXISTS ${rdrops};"; fi
  rstmt+=" CREATE TABLE demo.orders LIKE demo.orders_pristine;
      INSERT INTO demo.orders SELECT * FROM demo.orders_pristine;"
  primary -e "${stmt}" &
  local ppid=$!
  replica -e "${rstmt}" || die "refreshing demo.orders on the replica failed"
  wait "${ppid}" || die "refreshing demo.orders on the primary failed"
  # Binary logs of earlier runs are not needed any more (the replica has applied them).
  primary -e "FLUSH BINARY LOGS; PURGE BINARY LOGS BEFORE NOW()" >/dev/null 2>&1 || true
  replica -e "FLUSH BINARY LOGS; PURGE BINARY LOGS BEFORE NOW()" >/dev/null 2>&1 || true
  settle_servers
}

# Before every run both servers must be quiet, or the run pays for the one before it: the refresh
# (and a previous tool's copy, which the replica applied too) fills both servers' redo logs, and
# InnoDB's furious flushing then stalls writes; purge and the page cleaner keep the 2 cores busy.
# Wait (at most 120 s) until, on the primary and on the replica, the checkpoint age is below a
# tenth of its maximum (flushing eagerly meanwhile) and purge has caught up, and then until the
# machine's CPUs have been nearly idle for 2 s in a row.
SETTLE_MAX=120
settle_one() { # settle_one NAME VAL_FN CLIENT_FN: redo and purge of one server
  local name="$1" val="$2" client="$3" pct hist dirty waited=0
  dirty="$("${val}" "SELECT @@GLOBAL.innodb_max_dirty_pages_pct")"
  "${client}" -e "SET GLOBAL innodb_max_dirty_pages_pct = 0" >/dev/null 2>&1 || return 0
  while :; do
    read -r pct hist < <("${val}" "SELECT ROUND(100 * a.VARIABLE_VALUE / m.VARIABLE_VALUE), h.VARIABLE_VALUE
        FROM information_schema.GLOBAL_STATUS a, information_schema.GLOBAL_STATUS m,
             information_schema.GLOBAL_STATUS h
        WHERE a.VARIABLE_NAME = 'INNODB_CHECKPOINT_AGE' AND m.VARIABLE_NAME = 'INNODB_CHECKPOINT_MAX_AGE'
          AND h.VARIABLE_NAME = 'INNODB_HISTORY_LIST_LENGTH'")
    [[ "${pct}" =~ ^[0-9]+$ && "${hist}" =~ ^[0-9]+$ ]] || break
    ((pct < 10 && hist < 1000)) && break
    ((waited < SETTLE_MAX)) || {
      warn "the ${name}'s checkpoint age stayed at ${pct}% of its maximum, purge at ${hist} undo logs, before a run"
      break
    }
    sleep 1
    waited=$((waited + 1))
  done
  "${client}" -e "SET GLOBAL innodb_max_dirty_pages_pct = ${dirty}" >/dev/null
}

cpu_busy_pct() { # over the next second, all CPUs
  local a b
  read -ra a < <(head -1 /proc/stat)
  sleep 1
  read -ra b < <(head -1 /proc/stat)
  awk -v u1="${a[1]}" -v n1="${a[2]}" -v s1="${a[3]}" -v i1="${a[4]}" -v w1="${a[5]}" \
    -v u2="${b[1]}" -v n2="${b[2]}" -v s2="${b[3]}" -v i2="${b[4]}" -v w2="${b[5]}" 'BEGIN {
      busy = (u2 - u1) + (n2 - n1) + (s2 - s1); all = busy + (i2 - i1) + (w2 - w1)
      printf "%d", (all > 0 ? 100 * busy / all : 0) }'
}

settle_servers() {
  sync_replica
  settle_one primary pval primary
  settle_one replica rval replica
  sync_replica
  local pc rc
  pc="$(pval "SELECT COUNT(*) FROM demo.orders")"
  rc="$(rval "SELECT COUNT(*) FROM demo.orders")"
  [[ "${pc}" == "${ROWS}" && "${rc}" == "${ROWS}" ]] ||
    die "demo.orders was not refreshed (primary ${pc}, replica ${rc} rows; want ${ROWS})"
  local quiet=0 waited=0 busy
  while ((quiet < 2)); do
    busy="$(cpu_busy_pct)"
    if ((busy < 15)); then quiet=$((quiet + 1)); else quiet=0; fi
    waited=$((waited + 1))
    ((waited < SETTLE_MAX)) || {
      warn "the CPUs stayed ${busy}% busy before a run"
      break
    }
  done
}

# --- one run ---------------------------------------------------------------------------------------

# run_one REP TOOL MODE; TOOL: sa | sa_nv | pt | raw; MODE: idle | load. Appends one line to
# $RESULTS: rep tool mode status wall_s rss_kb max_lag null_lag_samples txns errors p50 p99
# errors_by_code verify_log.
run_one() {
  local rep="$1" tool="$2" mode="$3"
  local tag="r${rep}-${mode}-${tool}"
  local log="${LOG_DIR}/${tag}.log" rssf="${LOG_DIR}/${tag}.rss" lagf="${LOG_DIR}/${tag}.lag"
  local loadlog="${LOG_DIR}/${tag}.loadgen"
  banner "rep ${rep}/${REPS}, ${mode}: ${tool}"
  refresh_table

  local cols=""
  if [[ "${tool}" == raw ]]; then
    cols="$(pval "SELECT GROUP_CONCAT(CONCAT('\`', COLUMN_NAME, '\`') ORDER BY ORDINAL_POSITION)
        FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'demo' AND TABLE_NAME = 'orders'")"
  fi

  local locks0 cpu0
  locks0="$(row_locks)"
  cpu0="$(server_cpu)"
  lag_monitor_start "${lagf}"
  if [[ "${mode}" == load ]]; then load_start 86400 "${loadlog}"; fi

  local t0 t1 rc=0
  t0="$(now_ms)"
  case "${tool}" in
    sa | sa_nv | sa_t*)
      local extra=()
      read -ra extra <<<"${SA_OPTIONS}"
      [[ "${tool}" == sa_nv ]] && extra+=(--no-verify)
      [[ "${tool}" == sa_t* ]] && extra+=(--threads "${tool#sa_t}")
      /usr/bin/time -f %M -o "${rssf}" "${SHADOWALTER}" --alter "${ALTER}" --execute --no-attempt-instant \
        --chunk-time "${CHUNK_TIME}" --max-lag "${MAX_LAG}" "${extra[@]}" \
        "h=${H},P=${PP},u=${U},D=demo,t=orders" >"${log}" 2>&1 || rc=$?
      ;;
    pt)
      /usr/bin/time -f %M -o "${rssf}" pt-online-schema-change --alter "${ALTER}" --execute \
        --chunk-time "${CHUNK_TIME}" --max-lag "${MAX_LAG}" \
        --recursion-method=none --check-slave-lag "h=${H},P=${RP},u=${U}" \
        --charset utf8mb4 --no-version-check \
        "h=${H},P=${PP},u=${U},D=demo,t=orders" >"${log}" 2>&1 || rc=$?
      ;;
    raw)
      primary -e "CREATE TABLE demo.orders_raw LIKE demo.orders;
          ALTER TABLE demo.orders_raw ${ALTER};
          INSERT INTO demo.orders_raw (${cols}) SELECT ${cols} FROM demo.orders;" >"${log}" 2>&1 || rc=$?
      ;;
  esac
  t1="$(now_ms)"
  if [[ "${mode}" == load ]]; then
    # Transactions queued behind the tool's last lock still get to run (and be measured) rather
    # than being dropped unstarted by the stop.
    sleep "${LOAD_TAIL}"
    load_stop
  fi

  local locks1 lock_waits lock_ms
  locks1="$(row_locks)"
  read -r lock_waits lock_ms < <(echo "${locks0} ${locks1}" | awk '{ print $3 - $1, $4 - $2 }')

  # Lag is watched until the replica has applied everything the run wrote.
  sync_replica || warn "${tag}: the replica did not catch up"
  lag_monitor_stop
  # What the servers spent on the run, the replica's apply included (the load's share too).
  local pcpu rcpu
  read -r pcpu rcpu < <(echo "${cpu0} $(server_cpu)" |
    awk '{ if ($1 == "NA" || $3 == "NA") print "- -"; else printf "%.2f", $3 - $1; if ($2 == "NA" || $4 == "NA") print " -"; else printf " %.2f\n", $4 - $2 }')

  local wall rss lag lag_nulls samples
  wall="$(calc "(${t1} - ${t0}) / 1000")"
  rss="-"
  if [[ "${tool}" != raw && -s "${rssf}" ]]; then rss="$(tail -n1 "${rssf}")"; fi
  read -r lag lag_nulls samples <"${lagf}" || { lag=NA lag_nulls=0 samples=0; }
  ((samples > 0)) || warn "${tag}: the lag monitor got no samples"
  if ((lag_nulls > 0)); then lag=NULL; fi

  local txns=NA errors=NA p50=NA p99=NA by_code=- unfinished=NA
  if [[ "${mode}" == load ]]; then
    read -r txns errors p50 p99 by_code unfinished < <(load_summary "${loadlog}")
    [[ "${unfinished}" == 0 ]] ||
      note "${tag}: sa-loadgen stopped with ${unfinished} transaction(s) unfinished (not in its percentiles)"
  fi

  local status=ok
  if ((rc != 0)); then
    status="exit${rc}"
    warn "${tag}: exit code ${rc}; last lines of ${log}:"
    tail -n 15 "${log}" >&2
  else
    # The result is what it should be: the column is there, on both servers, with every row.
    local want="${ROWS}"
    if [[ "${txns}" =~ ^[0-9]+$ ]]; then want=$((ROWS + txns)); fi
    local table=orders
    [[ "${tool}" == raw ]] && table=orders_raw
    local pcol rcol pc rc2
    pcol="$(pval "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'demo'
        AND TABLE_NAME = '${table}' AND COLUMN_NAME = '${NEW_COLUMN}'")"
    rcol="$(rval "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'demo'
        AND TABLE_NAME = '${table}' AND COLUMN_NAME = '${NEW_COLUMN}'")"
    pc="$(pval "SELECT COUNT(*) FROM demo.orders")"
    rc2="$(rval "SELECT COUNT(*) FROM demo.orders")"
    [[ "${pcol}" == 1 && "${rcol}" == 1 ]] || warn "${tag}: column ${NEW_COLUMN} missing (primary ${pcol}, replica ${rcol})"
    [[ "${pc}" == "${rc2}" ]] || warn "${tag}: demo.orders has ${pc} rows on the primary, ${rc2} on the replica"
    [[ "${pc}" == "${want}" ]] || warn "${tag}: demo.orders has ${pc} rows, expected ${want} (${ROWS} + committed load transactions)"
    if [[ "${tool}" == raw ]]; then
      local raw_rows
      raw_rows="$(pval "SELECT COUNT(*) FROM demo.orders_raw")"
      ((raw_rows >= ROWS)) || warn "${tag}: orders_raw has ${raw_rows} rows, fewer than ${ROWS}"
    fi
  fi
  # shadowalter's copy phase alone: from "triggers installed" to "copied N rows" in its log.
  local cp50=- cp99=-
  if [[ "${mode}" == load && "${tool}" == sa && "${status}" == ok ]]; then
    read -r cp50 cp99 < <(copy_window_percentiles "${log}" "${loadlog%.loadgen}.timeline")
  fi
  local vlog=-
  if [[ "${tool}" == sa ]]; then
    vlog="$(grep -oE 'verifying [0-9.]+ s \([0-9]+%\)' "${log}" | tail -n1 | grep -oE '[0-9]+%' || true)"
    vlog="${vlog:--}"
  fi

  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${rep}" "${tool}" "${mode}" \
    "${status}" "${wall}" "${rss}" "${lag}" "${lag_nulls}" "${txns}" "${errors}" "${p50}" "${p99}" \
    "${by_code}" "${vlog}" "${lock_waits}" "${lock_ms}" "${cp50}" "${cp99}" "${pcpu}" "${rcpu}" >>"${RESULTS}"
  echo "${tool} ${mode}: ${status}, ${wall} s, $(calc "int(${ROWS} / (${wall} > 0 ? ${wall} : 1e-9))") rows/s," \
    "max replica lag ${lag} s, peak RSS ${rss} KB$([[ "${mode}" == load ]] && echo ", app txns=${txns} errors=${errors} p50=${p50} ms p99=${p99} ms")"
}

# "p50 p99" in ms of the load's transactions scheduled while shadowalter copied (from its log line
# "triggers installed" to its line "copied N rows"), from sa-loadgen's timeline; "- -" if unknown.
copy_window_percentiles() {
  local log="$1" timeline="$2" from to
  from="$(grep -m1 'triggers installed' "${log}" | cut -d' ' -f1)"
  to="$(grep -m1 -E 'info: copied [0-9]+ rows' "${log}" | cut -d' ' -f1)"
  if [[ -z "${from}" || -z "${to}" || ! -s "${timeline}" ]]; then
    echo "- -"
    return
  fi
  from="$(date -u -d "${from}" +%s%3N)" to="$(date -u -d "${to}" +%s%3N)"
  awk -v a="${from}" -v b="${to}" '$1 >= a && $1 <= b { print $2 }' "${timeline}" | sort -n |
    awk '{ v[NR] = $1 } END {
      if (NR == 0) { print "- -"; exit }
      i50 = int(0.50 * (NR - 1) + 0.5) + 1; i99 = int(0.99 * (NR - 1) + 0.5) + 1
      printf "%.2f %.2f\n", v[i50] / 1000, v[i99] / 1000 }'
}

# "primary replica": CPU seconds (user + system) the two mariadbd processes have used so far.
server_cpu() {
  local tck pid out=""
  tck="$(getconf CLK_TCK)"
  for side in primary replica; do
    pid="$(cat "${SHADOWALTER_SANDBOX_DIR}/${side}/mysqld.pid" 2>/dev/null || true)"
    if [[ -n "${pid}" && -r "/proc/${pid}/stat" ]]; then
      # Fields 14 and 15 (utime, stime), counted after the ")" that ends the process name.
      out+="$(sed 's/.*) //' "/proc/${pid}/stat" | awk -v t="${tck}" '{ printf "%.2f", ($12 + $13) / t }') "
    else
      out+="NA "
    fi
  done
  echo "${out% }"
}

# "Innodb_row_lock_waits Innodb_row_lock_time(ms)" of the primary, all sessions.
row_locks() {
  pval "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME DESC SEPARATOR ' ')
      FROM information_schema.GLOBAL_STATUS
      WHERE VARIABLE_NAME IN ('INNODB_ROW_LOCK_WAITS', 'INNODB_ROW_LOCK_TIME')"
}

# Baseline: the same load on a fresh table for SECONDS, no migration.
run_baseline() {
  local rep="$1" seconds="$2"
  local loadlog="${LOG_DIR}/r${rep}-baseline.loadgen"
  banner "rep ${rep}/${REPS}: baseline load, ${seconds} s, no migration"
  refresh_table
  local locks0
  locks0="$(row_locks)"
  "${LOADGEN}" --host "${H}" --port "${PP}" --user "${U}" --database demo --table orders \
    --rate "${LOAD_RATE}" --seconds "${seconds}" --id-max "${ROWS}" >"${loadlog}" 2>&1 &
  LOAD_PID=$!
  wait "${LOAD_PID}" || warn "baseline rep ${rep}: sa-loadgen exit code $?"
  LOAD_PID=""
  local txns errors p50 p99 by_code unfinished
  read -r txns errors p50 p99 by_code unfinished < <(load_summary "${loadlog}")
  [[ "${unfinished}" == 0 ]] || note "baseline rep ${rep}: ${unfinished} transaction(s) unfinished"
  local locks1 lock_waits lock_ms
  locks1="$(row_locks)"
  read -r lock_waits lock_ms < <(echo "${locks0} ${locks1}" | awk '{ print $3 - $1, $4 - $2 }')
  printf '%s\tbaseline\tload\tok\t%s\t-\t-\t0\t%s\t%s\t%s\t%s\t%s\t-\t%s\t%s\n' "${rep}" "${seconds}" \
    "${txns}" "${errors}" "${p50}" "${p99}" "${by_code}" "${lock_waits}" "${lock_ms}" >>"${RESULTS}"
  echo "baseline: txns=${txns} errors=${errors} p50=${p50} ms p99=${p99} ms"
}

# --- the data set ----------------------------------------------------------------------------------

MARIADB_VERSION="$(pval "SELECT VERSION()")"
LOAD_AVG_START="$(cut -d' ' -f1-3 /proc/loadavg)"

banner "creating demo.orders_pristine with ${ROWS} rows"
t0="$(now_ms)"
primary -e "DROP DATABASE IF EXISTS demo"
primary <sql/demo_schema.sql
{
  echo "SET @demo_rows = ${ROWS};"
  cat sql/demo_load.sql
} | primary
primary -e "RENAME TABLE demo.orders TO demo.orders_pristine"
sync_replica
echo "loaded and replicated in $(calc "($(now_ms) - ${t0}) / 1000") s"

# --- the runs --------------------------------------------------------------------------------------

# Rotates a list by N places: rotate N a b c ...
rotate() {
  local n="$1"
  shift
  local items=("$@") out=() i
  for ((i = 0; i < ${#items[@]}; i++)); do out+=("${items[(i + n) % ${#items[@]}]}"); done
  echo "${out[@]}"
}

for ((rep = 1; rep <= REPS; rep++)); do
  if ((rep % 2 == 1)); then modes=(idle load); else modes=(load idle); fi
  for mode in "${modes[@]}"; do
    in_list "${MODES}" "${mode}" || continue
    wanted=()
    for t in sa pt raw sa_nv ${THREAD_TOOLS}; do
      [[ "${mode}" == idle || "${t}" == sa || "${t}" == pt || "${t}" == raw ]] || continue
      [[ "${t}" == sa_t* ]] || in_list "${TOOLS}" "${t}" || continue
      wanted+=("${t}")
    done
    ((${#wanted[@]} > 0)) || continue
    read -ra tools <<<"$(rotate $((rep - 1)) "${wanted[@]}")"
    for tool in "${tools[@]}"; do
      run_one "${rep}" "${tool}" "${mode}"
    done
    if [[ "${mode}" == load ]]; then
      # As long as this repetition's loaded runs took on average (10..600 s).
      secs="$(awk -F'\t' -v r="${rep}" '$1 == r && $3 == "load" && $4 == "ok" { s += $5; n++ }
          END { d = n ? s / n : 10; d = d < 10 ? 10 : (d > 600 ? 600 : d); printf "%d", d + 0.5 }' "${RESULTS}")"
      run_baseline "${rep}" "${secs}"
    fi
  done
done

LOAD_AVG_END="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ----------------------------------------------------------------------------------------

# Medians over the successful runs of each tool and mode: "tool|mode|field value" lines.
# A NULL lag sorts above every number and is printed as NULL.
declare -A MED=()
while read -r key value; do
  MED["${key}"]="${value}"
done < <(awk -F'\t' -v rows="${ROWS}" '
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    if (n == 0) return "NA"
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function add(k, f, v) { if (v != "NA" && v != "-" && v != "") vals[k "|" f] = vals[k "|" f] " " v; keys[k "|" f] = 1 }
  $4 == "ok" {
    k = $2 "|" $3
    n[k]++
    add(k, "wall", $5)
    if ($5 > 0) add(k, "rps", rows / $5)
    add(k, "rss", $6 == "-" ? "-" : $6 / 1024)
    add(k, "lag", $7 == "NULL" ? 1e12 : $7)
    add(k, "p50", $11); add(k, "p99", $12); add(k, "errors", $10)
    add(k, "lockwaits", $15); add(k, "lockms", $16)
    add(k, "cp50", $17); add(k, "cp99", $18)
    add(k, "pcpu", $19); add(k, "rcpu", $20)
    if ($19 != "" && $19 != "-" && $20 != "" && $20 != "-") add(k, "scpu", $19 + $20)
    if ($14 != "-") { v = $14; sub(/%/, "", v); add(k, "vlog", v) }
    if ($7 == "NULL" || $7 + 0 > maxlag[k] + 0) maxlag[k] = $7 == "NULL" ? 1e12 : $7
    if ($10 ~ /^[0-9]+$/) errsum[k] += $10
  }
  $4 != "ok" { failed[$2 "|" $3]++ }
  END {
    for (kf in keys) print kf, median(vals[kf])
    for (k in n) { print k "|runs", n[k]; print k "|maxlag", maxlag[k] + 0; print k "|errsum", errsum[k] + 0 }
    for (k in failed) print k "|failed", failed[k]
  }' "${RESULTS}")

m() { echo "${MED["$1"]:-NA}"; }
num() { # fmt KEY FORMAT
  local v
  v="$(m "$1")"
  if [[ "${v}" == NA ]]; then
    echo "-"
  elif [[ "$1" == *"|lag" || "$1" == *"|maxlag" ]] && awk -v x="${v}" 'BEGIN { exit !(x >= 1e11) }'; then
    echo "NULL"
  else
    fmt "$2" "${v}"
  fi
}
tool_name() {
  case "$1" in
    sa) echo "shadowalter" ;;
    sa_nv) echo "shadowalter --no-verify" ;;
    sa_t*) echo "shadowalter --threads ${1#sa_t}" ;;
    pt) echo "pt-online-schema-change" ;;
    raw) echo "raw INSERT ... SELECT" ;;
  esac
}

TABLE="$(
  echo "| tool | mode | wall s | rows/s | ratio to pt-osc (rows/s) | max replica lag s | peak RSS MB | app p50 ms | app p99 ms | app p99 in the copy ms | app errors |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for mode in idle load; do
    for tool in sa sa_nv ${THREAD_TOOLS} pt raw; do
      k="${tool}|${mode}"
      [[ -n "${MED["${k}|runs"]:-}${MED["${k}|failed"]:-}" ]] || continue
      ratio="-"
      if [[ "$(m "${k}|rps")" != NA && "$(m "pt|${mode}|rps")" != NA ]]; then
        ratio="$(awk -v a="$(m "${k}|rps")" -v b="$(m "pt|${mode}|rps")" 'BEGIN { printf "%.2f", a / b }')"
      fi
      name="$(tool_name "${tool}")"
      [[ -z "${MED["${k}|failed"]:-}" ]] || name+=" (${MED["${k}|failed"]} run(s) failed)"
      if [[ "${mode}" == load ]]; then
        p50="$(num "${k}|p50" %.2f)" p99="$(num "${k}|p99" %.2f)" errs="$(num "${k}|errors" %d)"
        cp99="$(num "${k}|cp99" %.2f)"
      else
        p50="-" p99="-" errs="-" cp99="-"
      fi
      echo "| ${name} | ${mode} | $(num "${k}|wall" %.1f) | $(num "${k}|rps" %.0f) | ${ratio} | $(num "${k}|lag" %d) | $(num "${k}|rss" %.1f) | ${p50} | ${p99} | ${cp99} | ${errs} |"
    done
  done
)"

SA_V="$(m "sa|idle|wall")"
SA_NV="$(m "sa_nv|idle|wall")"
VSHARE="NA"
if [[ "${SA_V}" != NA && "${SA_NV}" != NA ]]; then
  VSHARE="$(awk -v v="${SA_V}" -v nv="${SA_NV}" 'BEGIN { printf "%.1f", 100 * (1 - nv / v) }')"
fi
BASE_P50="$(num "baseline|load|p50" %.2f)"
BASE_P99="$(num "baseline|load|p99" %.2f)"
BASE_SECS="$(num "baseline|load|wall" %.0f)"

EXTRA_LINES="$(
  echo "- verification share for shadowalter (idle, 1 - no-verify wall / verify wall): ${VSHARE}% ($(num "sa_nv|idle|wall" %.1f) s vs $(num "sa|idle|wall" %.1f) s; shadowalter's own \"time by phase\" log says $(num "sa|idle|vlog" %.0f%%))"
  if [[ -n "${THREAD_TOOLS}" ]]; then
    line="- --threads scaling (idle rows/s, ratio to --threads 1, ratio to pt-osc): 1: $(num "sa|idle|rps" %.0f)"
    for t in ${THREAD_TOOLS}; do
      line+=", ${t#sa_t}: $(num "${t}|idle|rps" %.0f) ($(awk -v a="$(m "${t}|idle|rps")" -v b="$(m "sa|idle|rps")" 'BEGIN { if (a != "NA" && b != "NA" && b > 0) printf "%.2fx", a / b; else print "-" }'), $(awk -v a="$(m "${t}|idle|rps")" -v b="$(m "pt|idle|rps")" 'BEGIN { if (a != "NA" && b != "NA" && b > 0) printf "%.2fx", a / b; else print "-" }'))"
    done
    echo "${line}"
  fi
  line="- server CPU seconds per run (medians; primary + replica mariadbd, user + system, from the tool's start until the replica had applied the run; $(nproc) cores give at most $(nproc) CPU seconds per wall second):"
  sep=""
  for mode in idle load; do
    for tool in sa sa_nv pt raw; do
      k="${tool}|${mode}"
      [[ "$(m "${k}|scpu")" != NA ]] || continue
      line+="${sep} $(tool_name "${tool}") ${mode} $(num "${k}|pcpu" %.1f) + $(num "${k}|rcpu" %.1f) = $(num "${k}|scpu" %.1f)"
      sep=";"
    done
  done
  echo "${line}"
  echo "- baseline (the same load, ${BASE_SECS} s, no migration): app p50 ${BASE_P50} ms, p99 ${BASE_P99} ms, errors $(num "baseline|load|errsum" %d)"
  echo "- InnoDB row lock waits on the primary during the loaded runs (medians; Innodb_row_lock_waits / Innodb_row_lock_time):" \
    "shadowalter $(num "sa|load|lockwaits" %d) waits / $(num "sa|load|lockms" %d) ms," \
    "pt-osc $(num "pt|load|lockwaits" %d) / $(num "pt|load|lockms" %d) ms," \
    "raw $(num "raw|load|lockwaits" %d) / $(num "raw|load|lockms" %d) ms," \
    "baseline $(num "baseline|load|lockwaits" %d) / $(num "baseline|load|lockms" %d) ms"
)"

# Targets: "met"/"NOT met"/"n/a" with the figures.
verdict() { if [[ "$1" == n/a ]]; then echo "n/a"; elif (($1)); then echo "met"; else echo "NOT met"; fi; }
check() { # check A OP B -> 1/0, or n/a when a figure is missing
  if [[ "$1" == NA || "$3" == NA || "$1" == - || "$3" == - ]]; then echo n/a; return; fi
  awk -v a="$1" -v b="$3" "BEGIN { print (a $2 b) ? 1 : 0 }"
}
# The target is about the copy: its window when the log gave one, else the whole run.
SA_LOAD_P99="$(m "sa|load|cp99")"
P99_WHAT="p99 in the copy $(num "sa|load|cp99" %.2f) ms (whole run $(num "sa|load|p99" %.2f) ms)"
if [[ "${SA_LOAD_P99}" == NA ]]; then
  SA_LOAD_P99="$(m "sa|load|p99")"
  P99_WHAT="p99 over the whole run $(num "sa|load|p99" %.2f) ms"
fi
BASE_P99_RAW="$(m "baseline|load|p99")"
SA_LOAD_ERRS="${MED["sa|load|errsum"]:-NA}"
t1="$(check "${SA_LOAD_P99}" "<=" "$(calc "5 * ${BASE_P99_RAW/NA/0}")")"
[[ "${BASE_P99_RAW}" != NA ]] || t1=n/a
t1b="$(check "${SA_LOAD_ERRS}" "==" 0)"
# The p50 target is about the copy too.
SA_LOAD_P50="$(m "sa|load|cp50")"
P50_WHAT="p50 in the copy $(num "sa|load|cp50" %.2f) ms (whole run $(num "sa|load|p50" %.2f) ms)"
if [[ "${SA_LOAD_P50}" == NA ]]; then
  SA_LOAD_P50="$(m "sa|load|p50")"
  P50_WHAT="p50 over the whole run $(num "sa|load|p50" %.2f) ms"
fi
BASE_P50_RAW="$(m "baseline|load|p50")"
t1c="$(check "${SA_LOAD_P50}" "<=" "$(calc "2 * ${BASE_P50_RAW/NA/0}")")"
[[ "${BASE_P50_RAW}" != NA ]] || t1c=n/a
SA_IDLE_RPS="$(m "sa|idle|rps")"
PT_IDLE_RPS="$(m "pt|idle|rps")"
RAW_IDLE_RPS="$(m "raw|idle|rps")"
t2="$(check "${SA_IDLE_RPS}" ">=" "${PT_IDLE_RPS}")"
t2s="$(check "${SA_IDLE_RPS}" ">=" "$(calc "1.2 * ${PT_IDLE_RPS/NA/0}")")"
[[ "${PT_IDLE_RPS}" != NA ]] || { t2=n/a; t2s=n/a; }
t2b="$(check "${SA_IDLE_RPS}" ">=" "$(calc "0.9 * ${RAW_IDLE_RPS/NA/0}")")"
[[ "${RAW_IDLE_RPS}" != NA ]] || t2b=n/a
SA_MAXLAG="$(awk -v a="${MED["sa|idle|maxlag"]:-0}" -v b="${MED["sa|load|maxlag"]:-0}" 'BEGIN { print (a > b ? a : b) }')"
t3="$(check "${SA_MAXLAG}" "<=" "$(calc "${MAX_LAG} + 1")")"
SA_MAXLAG_TXT="${SA_MAXLAG}"
awk -v x="${SA_MAXLAG}" 'BEGIN { exit !(x >= 1e11) }' && SA_MAXLAG_TXT="NULL (replica not replicating)"
SA_LOAD_RPS="$(m "sa|load|rps")"
PT_LOAD_RPS="$(m "pt|load|rps")"
t4="$(check "${SA_LOAD_RPS}" ">=" "${PT_LOAD_RPS}")"
t5="$(check "${VSHARE}" "<=" 10)"
VSHARE_NOTE=""
if [[ "${VSHARE}" != NA ]] && awk -v x="${VSHARE}" 'BEGIN { exit !(x < 0) }'; then
  # The run without verification took longer: noise larger than the effect; no verdict.
  t5=n/a
  VSHARE_NOTE=" (negative: the --no-verify run was slower; noise, no verdict; shadowalter's own phase timing says $(num "sa|idle|vlog" %.0f%%))"
fi
SA_RSS="$(awk -v a="$(m "sa|idle|rss")" -v b="$(m "sa|load|rss")" 'BEGIN { if (a == "NA") a = 0; if (b == "NA") b = 0; print (a > b ? a : b) }')"
t6="$(check "${SA_RSS}" "<=" 20)"

TARGETS="$(
  echo "| target | figures | result |"
  echo "| --- | --- | --- |"
  echo "| under load, app p99 during the copy <= 5x baseline p99 | shadowalter ${P99_WHAT} vs 5 x ${BASE_P99} ms = $(awk -v b="${BASE_P99_RAW}" 'BEGIN { if (b == "NA") print "-"; else printf "%.2f", 5 * b }') ms | $(verdict "${t1}") |"
  echo "| under load, app p50 during the copy <= 2x baseline p50 | shadowalter ${P50_WHAT} vs 2 x ${BASE_P50} ms = $(awk -v b="${BASE_P50_RAW}" 'BEGIN { if (b == "NA") print "-"; else printf "%.2f", 2 * b }') ms | $(verdict "${t1c}") |"
  echo "| under load, 0 app errors | ${SA_LOAD_ERRS} errors over all shadowalter runs under load | $(verdict "${t1b}") |"
  echo "| idle rows/s >= pt-osc (verification on) | $(fmt %.0f "${SA_IDLE_RPS/NA/0}") vs $(fmt %.0f "${PT_IDLE_RPS/NA/0}") rows/s ($(awk -v a="${SA_IDLE_RPS}" -v b="${PT_IDLE_RPS}" 'BEGIN { if (b + 0 > 0) printf "%.2fx", a / b; else print "-" }')) | $(verdict "${t2}") |"
  echo "| stretch: idle rows/s >= 1.2x pt-osc | $(fmt %.0f "${SA_IDLE_RPS/NA/0}") vs 1.2 x $(fmt %.0f "${PT_IDLE_RPS/NA/0}") rows/s | $(verdict "${t2s}") |"
  echo "| idle rows/s >= 0.9x raw INSERT ... SELECT | $(fmt %.0f "${SA_IDLE_RPS/NA/0}") vs 0.9 x $(fmt %.0f "${RAW_IDLE_RPS/NA/0}") rows/s ($(awk -v a="${SA_IDLE_RPS}" -v b="${RAW_IDLE_RPS}" 'BEGIN { if (b + 0 > 0) printf "%.2fx", a / b; else print "-" }')) | $(verdict "${t2b}") |"
  echo "| replica lag <= max-lag + 1 s | worst shadowalter run ${SA_MAXLAG_TXT} s vs ${MAX_LAG} + 1 s | $(verdict "${t3}") |"
  echo "| under load rows/s >= pt-osc | $(fmt %.0f "${SA_LOAD_RPS/NA/0}") vs $(fmt %.0f "${PT_LOAD_RPS/NA/0}") rows/s ($(awk -v a="${SA_LOAD_RPS}" -v b="${PT_LOAD_RPS}" 'BEGIN { if (b + 0 > 0) printf "%.2fx", a / b; else print "-" }')) | $(verdict "${t4}") |"
  echo "| verification <= 10% of the run | ${VSHARE}%${VSHARE_NOTE} | $(verdict "${t5}") |"
  echo "| peak RSS <= 20 MB | $(fmt %.1f "${SA_RSS}") MB (larger of idle and load) | $(verdict "${t6}") |"
)"

# Application errors by server error number, per tool, for the record.
ERROR_CODES="$(awk -F'\t' '$3 == "load" && $13 != "-" && $13 != "" { printf "- %s rep %s: errors by server error number %s\n", $2, $1, $13 }' "${RESULTS}")"

TOTAL_S="$(calc "int(($(now_ms) - ${BENCH_START}) / 1000)")"
MACHINE="$(
  echo "- nproc: $(nproc); CPU: $(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')"
  echo "- server: MariaDB ${MARIADB_VERSION} (sandbox primary + replica on the same machine, innodb_buffer_pool_size=256M, innodb_autoinc_lock_mode=$(pval "SELECT @@GLOBAL.innodb_autoinc_lock_mode")${SHADOWALTER_SANDBOX_MYSQLD_OPTS:+; SHADOWALTER_SANDBOX_MYSQLD_OPTS=${SHADOWALTER_SANDBOX_MYSQLD_OPTS}})"
  echo "- pt-online-schema-change: $(pt-online-schema-change --version 2>/dev/null | head -n1)"
  echo "- load average (1/5/15 min) at start ${LOAD_AVG_START}, at end ${LOAD_AVG_END}"
  echo "- free -g:"
  echo
  echo '```'
  free -g
  echo '```'
)"

REPORT="$(
  echo "### $(date '+%Y-%m-%d %H:%M %Z'): ${ROWS} rows x ${REPS} rep(s)"
  echo
  echo "Command: \`${CMDLINE}\`"
  echo
  echo "Settings: --alter \"${ALTER}\", --chunk-time ${CHUNK_TIME}, --max-lag ${MAX_LAG}, load ${LOAD_RATE} txn/s (sa-loadgen, 4 connections); total time of the benchmark ${TOTAL_S} s; $(git -C "${REPO_DIR}" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "${REPO_DIR}" diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ modified)')."
  echo
  echo "${MACHINE}"
  echo
  echo "Medians over the repetitions:"
  echo
  echo "${TABLE}"
  echo
  echo "${EXTRA_LINES}"
  if [[ -n "${ERROR_CODES}" ]]; then
    echo
    echo "${ERROR_CODES}"
  fi
  echo
  echo "Targets:"
  echo
  echo "${TARGETS}"
  if ((${#NOTES[@]} > 0)); then
    echo
    echo "Notes:"
    echo
    for w in "${NOTES[@]}"; do echo "- ${w}"; done
  fi
  if ((${#WARNINGS[@]} > 0)); then
    echo
    echo "Warnings during the run:"
    echo
    for w in "${WARNINGS[@]}"; do echo "- ${w}"; done
  fi
)"

banner "results (logs: ${LOG_DIR})"
echo "${REPORT}"

if ((WRITE_DOC)); then
  if [[ ! -f "${DOC}" ]]; then
    printf '# Benchmarks\n\nSee scripts/bench.sh.\n\n## Results\n' >"${DOC}"
  fi
  {
    echo
    echo "${REPORT}"
  } >>"${DOC}"
  echo
  echo "bench: results appended to ${DOC#"${REPO_DIR}"/}"
fi

failed_runs="$(awk -F'\t' '$4 != "ok"' "${RESULTS}" | wc -l)"
if ((failed_runs > 0 || ${#WARNINGS[@]} > 0)); then
  echo "bench: ${failed_runs} failed run(s), ${#WARNINGS[@]} warning(s)" >&2
  exit 1
fi
