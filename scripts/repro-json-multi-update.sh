#!/usr/bin/env bash
# Issue #16 item 6 (field note 24): does a swap by shadowalter crash MariaDB while an application
# runs `UPDATE t JOIN pool ... SET t.js = pool.js` (multi-table UPDATE of a JSON column, i.e. of a
# column with MariaDB's implicit json_valid CHECK) from several sessions?
#
#   scripts/repro-json-multi-update.sh [RUNS]                    shadowalter runs (MODE=shadowalter)
#   MODE=sql VARIANT=a|b|c|d scripts/repro-json-multi-update.sh [RUNS]   cut-overs only
#
# Each run: a fresh schema `crashrepro` with `t` (ROWS rows, a JSON column) and `pool` (64 rows
# of JSON); WRITERS sessions write to t as fast as they can (one `mariadb --force` client each,
# fed by an awk generator; mix below); shadowalter runs
#   --alter "ADD COLUMN w INT" --execute --no-attempt-instant (plus SA_OPTS)
# on t; the writers stop; the run counts as a crash when the primary's (or the replica's) error
# log got a new "got signal" line or the primary is gone. A crashed primary is started again
# (directly, without waiting for the replica) and its error log excerpt is kept in OUT_DIR.
# On the sandbox use SA_OPTS="--recursion-method none": the unthrottled writers leave the replica
# far behind and the lag throttle would park the copy. What is measured is the swap of the build
# in SA_BIN. The findings are in docs/server-crash-json-multi-update.md.
#
# MODE=sql replays only the cut-over, in plain SQL, RUNS times on one table while the writers
# keep writing (no copy, no verification: many more cut-overs per minute). Each cycle creates
# `_t_new` LIKE t and the three AFTER triggers shadowalter would create (same names, same kind of
# bodies: insert with a CONTINUE handler, upsert, delete by key), lets the writers run through
# them for CYCLE_PAUSE seconds, then swaps in the order VARIANT names:
#   a  RENAME TABLE t TO _t_old, _t_new TO t; DROP TRIGGER x3 (now on _t_old); DROP TABLE _t_old
#      (shadowalter today)
#   b  RENAME ...; DROP TABLE _t_old (its triggers go with it)
#   c  session A: LOCK TABLES t WRITE; DROP TRIGGER x3; session B: RENAME ... (queues on the lock);
#      A: UNLOCK TABLES (B's RENAME goes first); DROP TABLE _t_old
#   d  RENAME ...; DO SLEEP(PAUSE_MS/1000); DROP TRIGGER x3; DROP TABLE _t_old
#
# Writer mix (per statement, autocommit):
#   50%  UPDATE t JOIN pool ON pool.id = t.id % 64 SET t.js = pool.js, t.n = t.n + 1
#          WHERE t.id BETWEEN x AND x+4
#   20%  INSERT INTO t (n, js, note) VALUES (x, JSON_OBJECT('k', x), 'ins')
#   20%  UPDATE t SET n = n + 1, js = JSON_OBJECT('u', x) WHERE id = x
#   10%  DELETE FROM t WHERE id = <an inserted row>
#
# Environment:
#   ROWS (20000)  WRITERS (4)  RUNS (20, or the first argument)  LABEL (a name for this series,
#   default "default")  SA_BIN (build/shadowalter)  SA_OPTS (extra shadowalter options)
#   OUT_DIR (/tmp/repro-json-<LABEL>)  WARMUP (1 s of writes before shadowalter starts)
#   NICE (10: writers and shadowalter run under nice -n NICE)
#   JS_TYPE (JSON): the type of t.js; LONGTEXT is the control without the implicit json_valid CHECK
#   MODE=sql only: VARIANT (a), PAUSE_MS (500, variant d), CYCLE_PAUSE (0.3 s of writes through
#   the triggers before each cut-over)
#   The sandbox's own: SHADOWALTER_SANDBOX_DIR, SHADOWALTER_PRIMARY_PORT, SHADOWALTER_REPLICA_PORT.
#   Any other environment (e.g. SA_EXPERIMENT_ORDER of a patched build) reaches shadowalter.
#
# Output: one line per run (exit code of shadowalter, multi-table UPDATEs executed, writer errors,
# crash yes/no) and a summary line "LABEL: C crashes in N runs"; OUT_DIR keeps each run's
# shadowalter log and writer errors, and crash-*.err with the error log excerpt of each crash.
set -uo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-${RUNS:-20}}"
ROWS="${ROWS:-20000}"
WRITERS="${WRITERS:-4}"
LABEL="${LABEL:-default}"
SA_BIN="${SA_BIN:-${REPO_DIR}/build/shadowalter}"
SA_OPTS="${SA_OPTS:-}"
OUT_DIR="${OUT_DIR:-/tmp/repro-json-${LABEL}}"
WARMUP="${WARMUP:-1}"
NICE="${NICE:-10}"
MODE="${MODE:-shadowalter}"
VARIANT="${VARIANT:-a}"
PAUSE_MS="${PAUSE_MS:-500}"
CYCLE_PAUSE="${CYCLE_PAUSE:-0.3}"
JS_TYPE="${JS_TYPE:-JSON}"
DB=crashrepro
SANDBOX=("${REPO_DIR}/scripts/sandbox.sh")

eval "$(bash "${SANDBOX[@]}" env)"
export MYSQL_PWD="${SHADOWALTER_PASSWORD}"
HOST="${SHADOWALTER_HOST}"
PORT="${SHADOWALTER_PRIMARY_PORT}"
SBX="${SHADOWALTER_SANDBOX_DIR}"
mkdir -p "${OUT_DIR}"

client() { mariadb -h "${HOST}" -P "${PORT}" -u "${SHADOWALTER_USER}" "$@"; }
log_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
server_pid() { cat "${SBX}/$1/mysqld.pid" 2>/dev/null; }
alive() {
  local pid
  pid="$(server_pid "$1")"
  [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null
}

answers() { client -N -e "SELECT 1" >/dev/null 2>&1; }

# After a crash only the primary is started again, directly (as scripts/sandbox.sh launches it):
# `sandbox.sh start` would also wait for the replica to catch up, which under this write load
# takes many minutes. The replica reconnects by itself.
ensure_up() {
  local _
  if alive primary && ! answers; then
    # A crashed server may still be writing its stack trace: let it finish dying first.
    for _ in $(seq 1 60); do alive primary || break; sleep 0.5; done
  fi
  if ! alive primary; then
    setsid --wait "$(command -v mariadbd || echo /usr/sbin/mariadbd)" \
      --defaults-file="${SBX}/primary/my.cnf" >>"${SBX}/primary/mariadbd.out" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 240); do answers && return 0; sleep 0.5; done
  echo "the primary did not come back within 120 s" >&2
  exit 1
}

setup_tables() {
  client -e "
    DROP DATABASE IF EXISTS ${DB};
    CREATE DATABASE ${DB};
    USE ${DB};
    CREATE TABLE t (
      id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      n INT NOT NULL DEFAULT 0,
      js ${JS_TYPE},
      note VARCHAR(32) NOT NULL DEFAULT ''
    ) ENGINE=InnoDB;
    CREATE TABLE pool (id INT NOT NULL PRIMARY KEY, js JSON) ENGINE=InnoDB;
    INSERT INTO pool SELECT seq, JSON_OBJECT('p', seq, 'tags', JSON_ARRAY('a', seq)) FROM seq_0_to_63;
    INSERT INTO t (n, js, note) SELECT seq, JSON_OBJECT('i', seq), 'seed' FROM seq_1_to_${ROWS};
  "
}

# One writer: an endless stream of statements into one client session.
writer() {
  local seed="$1"
  awk -v seed="${seed}" -v rows="${ROWS}" 'BEGIN {
    srand(seed);
    while (1) {
      r = rand(); x = int(rand() * rows) + 1;
      if (r < 0.5)
        printf "UPDATE t JOIN pool ON pool.id = t.id %% 64 SET t.js = pool.js, t.n = t.n + 1 WHERE t.id BETWEEN %d AND %d;\n", x, x + 4;
      else if (r < 0.7)
        printf "INSERT INTO t (n, js, note) VALUES (%d, JSON_OBJECT(\"k\", %d), \"ins\");\n", x, x;
      else if (r < 0.9)
        printf "UPDATE t SET n = n + 1, js = JSON_OBJECT(\"u\", %d) WHERE id = %d;\n", x, x;
      else
        printf "DELETE FROM t WHERE id = %d;\n", rows + x % 2000;
    }
  }' | nice -n "${NICE}" mariadb -h "${HOST}" -P "${PORT}" -u "${SHADOWALTER_USER}" --force -N -s "${DB}" \
    >/dev/null 2>>"${OUT_DIR}/run-${RUN}-writer-${seed}.err"
}

multi_updates() {
  client -N -e "SHOW GLOBAL STATUS LIKE 'Com_update_multi'" 2>/dev/null | awk '{print $2}'
}

TRIGGERS=(sa_t_ins sa_t_upd sa_t_del)
drop_triggers_sql() {
  local t
  # shellcheck disable=SC2016  # backquotes are SQL quoting, not expansions
  for t in "${TRIGGERS[@]}"; do printf 'DROP TRIGGER IF EXISTS `%s`.`%s`;\n' "${DB}" "${t}"; done
}

# MODE=sql: a fresh _t_new and the mirror triggers on t.
prepare_cutover() {
  client "${DB}" <<'SQL'
DROP TABLE IF EXISTS _t_new, _t_old;
CREATE TABLE _t_new LIKE t;
DELIMITER //
CREATE TRIGGER sa_t_ins AFTER INSERT ON t FOR EACH ROW BEGIN
  DECLARE CONTINUE HANDLER FOR 1062, 1048, 1264, 1265, 1292, 1366, 1406, 4025 BEGIN END;
  INSERT INTO _t_new (id, n, js, note) VALUES (NEW.id, NEW.n, NEW.js, NEW.note); END//
CREATE TRIGGER sa_t_upd AFTER UPDATE ON t FOR EACH ROW BEGIN
  DECLARE CONTINUE HANDLER FOR 1062, 1048, 1264, 1265, 1292, 1366, 1406, 4025 BEGIN END;
  INSERT INTO _t_new (id, n, js, note) VALUES (NEW.id, NEW.n, NEW.js, NEW.note)
    ON DUPLICATE KEY UPDATE id = IF(id <=> VALUES(id), id, NULL), n = VALUES(n),
      js = VALUES(js), note = VALUES(note); END//
CREATE TRIGGER sa_t_del AFTER DELETE ON t FOR EACH ROW DELETE FROM _t_new WHERE id <=> OLD.id//
DELIMITER ;
SQL
}

RENAME_SQL="RENAME TABLE \`${DB}\`.t TO \`${DB}\`._t_old, \`${DB}\`._t_new TO \`${DB}\`.t;"

# MODE=sql: the cut-over in the order VARIANT names. Prints the milliseconds it took.
cutover() {
  local start end
  start=$(date +%s%N)
  case "${VARIANT}" in
    # One statement a line: a lost connection is reported "at line N", naming the statement
    # that was running when the server died.
    a) printf '%s\n%sDROP TABLE _t_old;\n' "${RENAME_SQL}" "$(drop_triggers_sql)" | client "${DB}" ;;
    b) printf '%s\nDROP TABLE _t_old;\n' "${RENAME_SQL}" | client "${DB}" ;;
    d)
      printf '%s\nDO SLEEP(%s / 1000);\n%sDROP TABLE _t_old;\n' "${RENAME_SQL}" "${PAUSE_MS}" \
        "$(drop_triggers_sql)" | client "${DB}"
      ;;
    c)
      # Session A holds the write lock and drops the triggers; session B's RENAME queues on it;
      # A releases once B is seen waiting, so the RENAME is granted before any writer.
      local fifo="${OUT_DIR}/a.fifo" aout="${OUT_DIR}/a.out" apid bpid
      rm -f "${fifo}" "${aout}"
      mkfifo "${fifo}"
      client -n -N "${DB}" <"${fifo}" >"${aout}" 2>&1 &
      apid=$!
      exec 3>"${fifo}"
      printf 'LOCK TABLES t WRITE;\n%sSELECT "locked";\n' "$(drop_triggers_sql)" >&3
      for _ in $(seq 1 500); do grep -q locked "${aout}" 2>/dev/null && break; sleep 0.01; done
      client -e "SET SESSION lock_wait_timeout = 60; ${RENAME_SQL}" &
      bpid=$!
      for _ in $(seq 1 500); do
        [[ -n "$(client -N -e "SELECT 1 FROM information_schema.PROCESSLIST WHERE INFO LIKE 'RENAME TABLE%' AND STATE = 'Waiting for table metadata lock'")" ]] && break
        sleep 0.01
      done
      printf 'UNLOCK TABLES;\n' >&3
      exec 3>&-
      wait "${bpid}" "${apid}"
      client "${DB}" -e "DROP TABLE _t_old;"
      ;;
  esac
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

start_writers() {
  pids=()
  for w in $(seq 1 "${WRITERS}"); do
    writer "$((RUN * 100 + w))" &
    pids+=("$!")
  done
}
stop_writers() {
  # Each background job is a subshell running awk | mariadb: end its two children.
  local p
  for p in "${pids[@]}"; do pkill -TERM -P "${p}" 2>/dev/null; done
  # Only the writers: a primary started again by ensure_up is a child of this script too.
  ((${#pids[@]} == 0)) || wait "${pids[@]}" 2>/dev/null
  pids=()
}
pids=()
trap 'stop_writers' EXIT

# Sets crashed=no|yes(<server>) from the error logs since p_off/r_off; keeps the excerpt.
check_crash() {
  local inst off new _
  crashed=no
  if grep -qiE "got signal" < <(tail -c +"$((p_off + 1))" "${SBX}/primary/error.log" 2>/dev/null); then
    # Let the dying server finish its stack trace before the excerpt is taken.
    for _ in $(seq 1 60); do alive primary || break; sleep 0.5; done
  fi
  for inst in primary replica; do
    off=$p_off
    [[ ${inst} == replica ]] && off=$r_off
    new="$(tail -c +"$((off + 1))" "${SBX}/${inst}/error.log" 2>/dev/null)"
    if grep -qiE "got signal|signal [0-9]+|Segmentation" <<<"${new}" ||
      { [[ ${inst} == primary ]] && ! alive primary; }; then
      crashed="yes(${inst})"
      printf '%s\n' "${new}" >"${OUT_DIR}/crash-run-${RUN}-${inst}.err"
    fi
  done
}
mark_logs() {
  p_off="$(log_size "${SBX}/primary/error.log")"
  r_off="$(log_size "${SBX}/replica/error.log")"
}
writer_errors() {
  cat "${OUT_DIR}/run-${RUN}"-writer-*.err 2>/dev/null | grep -oE '^ERROR [0-9]+' | sort | uniq -c |
    awk '{printf "%s%s:%s", (NR > 1 ? "," : ""), $3, $1}'
}

answers || bash "${SANDBOX[@]}" start
crashes=0
runs_done=0
if [[ ${MODE} == sql ]]; then
  echo "${LABEL}: MODE=sql VARIANT=${VARIANT}, ${RUNS} cut-overs, ${ROWS} rows, ${WRITERS} writers, js ${JS_TYPE}" \
    "-> ${OUT_DIR}"
  rm -f "${OUT_DIR}"/run-*-writer-*.err
  need_setup=1
  for RUN in $(seq 1 "${RUNS}"); do
    if ((need_setup)); then
      ensure_up
      setup_tables || { echo "cycle ${RUN}: setup failed"; continue; }
      start_writers
      need_setup=0
    fi
    prepare_cutover || echo "cycle ${RUN}: preparing the cut-over failed"
    sleep "${CYCLE_PAUSE}"
    mark_logs
    m0="$(multi_updates)"
    ms="$(cutover 2>"${OUT_DIR}/cutover-${RUN}.err")"
    sleep 0.2
    m1="$(multi_updates)"
    check_crash
    runs_done=$((runs_done + 1))
    if [[ ${crashed} != no ]]; then
      crashes=$((crashes + 1))
      stop_writers
      need_setup=1
    fi
    if [[ ${crashed} != no ]] || ((RUN % 10 == 0)); then
      printf 'cycle %d: cut-over %s ms, multi-updates around it %s, crash %s %s\n' \
        "${RUN}" "${ms}" "$(( ${m1:-0} - ${m0:-0} ))" "${crashed}" \
        "$(grep -m1 -h ERROR "${OUT_DIR}/cutover-${RUN}.err" 2>/dev/null)"
    fi
    [[ -s "${OUT_DIR}/cutover-${RUN}.err" ]] || rm -f "${OUT_DIR}/cutover-${RUN}.err"
  done
  stop_writers
  RUN='*'
  echo "${LABEL}: writer errors [$(writer_errors)]"
  echo "${LABEL}: ${crashes} crashes in ${runs_done} cut-overs"
  exit 0
fi

echo "${LABEL}: ${RUNS} runs, ${ROWS} rows, ${WRITERS} writers, SA_OPTS='${SA_OPTS}'," \
  "SA_EXPERIMENT_ORDER='${SA_EXPERIMENT_ORDER:-}' -> ${OUT_DIR}"
for RUN in $(seq 1 "${RUNS}"); do
  ensure_up
  setup_tables || { echo "run ${RUN}: setup failed"; continue; }
  mark_logs
  m0="$(multi_updates)"
  start_writers
  sleep "${WARMUP}"
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  timeout 300 nice -n "${NICE}" "${SA_BIN}" --alter "ADD COLUMN w INT" --execute --no-attempt-instant \
    ${SA_OPTS} "h=${HOST},P=${PORT},u=${SHADOWALTER_USER},D=${DB},t=t" \
    >"${OUT_DIR}/run-${RUN}-shadowalter.log" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  sleep 0.5
  m1="$(multi_updates)"
  stop_writers
  sleep 0.5
  check_crash
  runs_done=$((runs_done + 1))
  [[ ${crashed} != no ]] && crashes=$((crashes + 1))
  printf 'run %d: shadowalter rc=%d in %.1f s, multi-updates %s, writer errors [%s], crash %s\n' \
    "${RUN}" "${rc}" "$(echo "${t1} - ${t0}" | bc)" "$(( ${m1:-0} - ${m0:-0} ))" "$(writer_errors)" \
    "${crashed}"
done
echo "${LABEL}: ${crashes} crashes in ${runs_done} runs"
