#!/usr/bin/env bash
# A local MariaDB primary + replica (ROW binlogs, GTID replication) for shadowalter's tests and demo.
#
#   scripts/sandbox.sh start          start both (initialising empty datadirs), wait until replicating
#   scripts/sandbox.sh stop           stop both (SIGTERM, then SIGKILL after 30 s); data is kept
#   scripts/sandbox.sh status         exit 0 when both run and the replica replicates, 1 otherwise
#   scripts/sandbox.sh env            print `export` lines for tests and demos: eval "$(... env)"
#   scripts/sandbox.sh sync [SECS]    wait until the replica has applied everything the primary
#                                     has binlogged so far (default 120 s)
#   scripts/sandbox.sh reset          stop and delete the sandbox directory
#   scripts/sandbox.sh sql primary|replica|plain|downstream [mariadb args...]   admin client
#   scripts/sandbox.sh plain-start    start a third, stand-alone server without TLS (and without
#                                     binary log), with the sandbox user; for the tests of what
#                                     --ssl-mode does when the server can't encrypt
#   scripts/sandbox.sh plain-stop     stop it (`stop` stops it too)
#   scripts/sandbox.sh downstream-start   start a fourth server replicating from the replica (a
#                                     replica of a replica), from the replica's current position,
#                                     with the sandbox user; for the tests of replica discovery
#   scripts/sandbox.sh downstream-stop    stop it (`stop` stops it too)
#   scripts/sandbox.sh galera-start   start a three-node MariaDB Galera cluster (galera1..3), the
#                                     first bootstrapping it, the others joining by rsync SST, with
#                                     the sandbox user; for the cluster tests
#   scripts/sandbox.sh galera-stop    stop it (`stop` stops it too)
#   scripts/sandbox.sh galera-status  exit 0 when all three nodes are Synced in one Primary cluster
#
# Environment: SHADOWALTER_SANDBOX_DIR (default <repo>/.sandbox), SHADOWALTER_PRIMARY_PORT (23306),
# SHADOWALTER_REPLICA_PORT (23307), SHADOWALTER_PLAIN_PORT (the primary's port + 2),
# SHADOWALTER_DOWNSTREAM_PORT (the primary's port + 3), SHADOWALTER_GALERA_PORT (the first
# cluster node's client port, the primary's port + 4; the others follow; each node N also uses
# the primary's port + 1000 + 10 N for group communication, + 1 for IST and + 2 for SST), and
# SHADOWALTER_SANDBOX_MYSQLD_OPTS: space-separated name=value server options added to every
# server's option file at start (default none), e.g. "innodb_autoinc_lock_mode=2".
#
# The servers are plain mariadbd processes with a generated option file (--defaults-file, so no
# system configuration leaks in), bound to 127.0.0.1. root has no password and can only log in
# from localhost (the socket); tests use sandbox/sandbox-pass, which exists on both servers.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SANDBOX_DIR="${SHADOWALTER_SANDBOX_DIR:-${REPO_DIR}/.sandbox}"
PRIMARY_PORT="${SHADOWALTER_PRIMARY_PORT:-23306}"
REPLICA_PORT="${SHADOWALTER_REPLICA_PORT:-23307}"
PLAIN_PORT="${SHADOWALTER_PLAIN_PORT:-$((PRIMARY_PORT + 2))}"
DOWNSTREAM_PORT="${SHADOWALTER_DOWNSTREAM_PORT:-$((PRIMARY_PORT + 3))}"
GALERA_PORT="${SHADOWALTER_GALERA_PORT:-$((PRIMARY_PORT + 4))}"
GALERA_PROVIDER="${SHADOWALTER_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}"
HOST=127.0.0.1
SANDBOX_USER=sandbox
SANDBOX_PASSWORD=sandbox-pass
REPL_USER=repl
REPL_PASSWORD=repl-pass
START_TIMEOUT=60
STOP_TIMEOUT=30
MARKER=.shadowalter-sandbox

log() { echo "sandbox: $*"; }
die() {
  echo "sandbox: error: $*" >&2
  exit 1
}

# Absolute sandbox path (the directory may not exist yet).
case "${SANDBOX_DIR}" in
  /*) ;;
  *) SANDBOX_DIR="${PWD}/${SANDBOX_DIR}" ;;
esac
SANDBOX_DIR="${SANDBOX_DIR%/}"
[[ -n "${SANDBOX_DIR}" ]] || die "SHADOWALTER_SANDBOX_DIR must not be /"

for p in "${PRIMARY_PORT}" "${REPLICA_PORT}" "${PLAIN_PORT}"; do
  if ! [[ "${p}" =~ ^[0-9]+$ ]] || ((p < 1 || p > 65535)); then
    die "bad port: ${p}"
  fi
done
[[ "${PRIMARY_PORT}" != "${REPLICA_PORT}" ]] || die "primary and replica ports must differ"
[[ "${PLAIN_PORT}" != "${PRIMARY_PORT}" && "${PLAIN_PORT}" != "${REPLICA_PORT}" ]] ||
  die "the plain server's port must differ from the primary's and the replica's"
[[ "${DOWNSTREAM_PORT}" != "${PRIMARY_PORT}" && "${DOWNSTREAM_PORT}" != "${REPLICA_PORT}" &&
  "${DOWNSTREAM_PORT}" != "${PLAIN_PORT}" ]] ||
  die "the downstream server's port must differ from the other servers'"

# --- per-instance paths -------------------------------------------------------------------------

inst_dir() { echo "${SANDBOX_DIR}/$1"; }
inst_datadir() { echo "${SANDBOX_DIR}/$1/data"; }
inst_cnf() { echo "${SANDBOX_DIR}/$1/my.cnf"; }
inst_client_cnf() { echo "${SANDBOX_DIR}/$1/client.cnf"; }
inst_socket() { echo "${SANDBOX_DIR}/$1/mysqld.sock"; }
inst_pidfile() { echo "${SANDBOX_DIR}/$1/mysqld.pid"; }
inst_errlog() { echo "${SANDBOX_DIR}/$1/error.log"; }
inst_port() {
  case "$1" in
    primary) echo "${PRIMARY_PORT}" ;;
    replica) echo "${REPLICA_PORT}" ;;
    downstream) echo "${DOWNSTREAM_PORT}" ;;
    galera[1-3]) echo "$((GALERA_PORT + ${1#galera} - 1))" ;;
    *) echo "${PLAIN_PORT}" ;;
  esac
}
# Node N's group communication port; IST and SST take the next two.
galera_gcomm_port() { echo "$((PRIMARY_PORT + 1000 + 10 * ${1#galera}))"; }
inst_server_id() {
  case "$1" in
    primary) echo 1 ;;
    replica) echo 2 ;;
    downstream) echo 4 ;;
    galera[1-3]) echo "$((10 + ${1#galera}))" ;;
    *) echo 3 ;;
  esac
}

# --- binaries -----------------------------------------------------------------------------------

find_bin() {
  local name
  for name in "$@"; do
    if command -v "${name}" >/dev/null 2>&1; then
      command -v "${name}"
      return 0
    fi
    for dir in /usr/sbin /usr/local/sbin /usr/bin /usr/local/bin; do
      if [[ -x "${dir}/${name}" ]]; then
        echo "${dir}/${name}"
        return 0
      fi
    done
  done
  return 1
}

need_binaries() {
  MARIADBD="$(find_bin mariadbd mysqld)" || die "mariadbd not found (run scripts/install-deps.sh)"
  INSTALL_DB="$(find_bin mariadb-install-db mysql_install_db)" ||
    die "mariadb-install-db not found (run scripts/install-deps.sh)"
  need_client
}

need_client() {
  MARIADB="$(find_bin mariadb mysql)" || die "mariadb client not found (run scripts/install-deps.sh)"
}

# --- configuration ------------------------------------------------------------------------------

tls_dir() { echo "${SANDBOX_DIR}/tls"; }

# A private CA and a server certificate for 127.0.0.1 / localhost (both instances share it), and a
# second, unrelated CA that tests use to check that verification really refuses. Made once.
ensure_tls() {
  local d
  d="$(tls_dir)"
  [[ -s "${d}/server-cert.pem" && -s "${d}/other-ca.pem" ]] && return 0
  command -v openssl >/dev/null 2>&1 || die "openssl is needed for the sandbox's TLS certificates"
  mkdir -p "${d}"
  (
    cd "${d}"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=shadowalter sandbox CA" \
      -keyout ca-key.pem -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem \
      -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -extfile server.ext -out server-cert.pem 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=unrelated CA" \
      -keyout other-ca-key.pem -out other-ca.pem 2>/dev/null
    rm -f server.csr server.ext
  ) || die "could not make the sandbox's TLS certificates in ${d}"
}

write_configs() {
  local inst="$1" dir cnf client_cnf tmp
  dir="$(inst_dir "${inst}")"
  cnf="$(inst_cnf "${inst}")"
  client_cnf="$(inst_client_cnf "${inst}")"
  mkdir -p "${dir}" "$(inst_datadir "${inst}")" "${dir}/tmp"

  local socket
  socket="$(inst_socket "${inst}")"
  # sun_path is 108 bytes including the terminating NUL.
  ((${#socket} < 108)) || die "socket path too long (${#socket} bytes): ${socket}; set SHADOWALTER_SANDBOX_DIR to a shorter path"

  tmp="$(mktemp "${cnf}.XXXXXX")"
  {
    echo "# Generated by scripts/sandbox.sh; rewritten on every start."
    echo "[mysqld]"
    if [[ "$(id -u)" -eq 0 ]]; then
      echo "user=root"
    fi
    echo "datadir=$(inst_datadir "${inst}")"
    echo "tmpdir=${dir}/tmp"
    echo "socket=${socket}"
    echo "pid-file=$(inst_pidfile "${inst}")"
    echo "log-error=$(inst_errlog "${inst}")"
    echo "port=$(inst_port "${inst}")"
    echo "bind-address=${HOST}"
    echo "server-id=$(inst_server_id "${inst}")"
    if [[ "${inst}" == galera* ]]; then
      galera_options "${inst}"
    elif [[ "${inst}" == plain ]]; then
      # No TLS at all: what --ssl-mode REQUIRED must refuse and PREFERRED settle for.
      echo "skip-ssl"
    elif [[ "${inst}" == downstream ]]; then
      # A replica at the end of the chain: no binary log of its own. It starts from the replica's
      # position at its start, so events on schemas made before then (another test's, still
      # being dropped) find nothing to apply to: skipped, not a stopped chain.
      echo "slave_skip_errors=1007,1008,1049,1050,1051,1146"
      echo "relay-log=${inst}-relay-bin"
      echo "relay-log-index=${inst}-relay-bin.index"
      echo "read_only=ON"
      echo "ssl-ca=$(tls_dir)/ca.pem"
      echo "ssl-cert=$(tls_dir)/server-cert.pem"
      echo "ssl-key=$(tls_dir)/server-key.pem"
    else
      echo "log-bin=${inst}-bin"
      echo "log-bin-index=${inst}-bin.index"
      echo "relay-log=${inst}-relay-bin"
      echo "relay-log-index=${inst}-relay-bin.index"
      echo "binlog_format=ROW"
      # TLS available (not required), for the --ssl-mode tests.
      echo "ssl-ca=$(tls_dir)/ca.pem"
      echo "ssl-cert=$(tls_dir)/server-cert.pem"
      echo "ssl-key=$(tls_dir)/server-key.pem"
    fi
    # information_schema.DISKS (free-space preflight) and METADATA_LOCK_INFO (naming the sessions
    # that hold a table's metadata lock), both shipped with Debian's mariadb-server.
    echo "plugin-load-add=disks"
    echo "plugin-load-add=metadata_lock_info"
    echo "binlog_row_image=FULL"
    echo "gtid_strict_mode=ON"
    echo "innodb_buffer_pool_size=256M"
    echo "innodb_log_file_size=256M"
    echo "max_connections=300"
    echo "skip-name-resolve"
    echo "character-set-server=utf8mb4"
    echo "collation-server=utf8mb4_general_ci"
    echo "report_host=${HOST}"
    echo "report_port=$(inst_port "${inst}")"
    if [[ "${inst}" == replica ]]; then
      echo "log_slave_updates=ON"
      echo "read_only=ON"
    fi
    # Server settings to try (e.g. the benchmark with innodb_autoinc_lock_mode=2), last so they win.
    local opt
    for opt in ${SHADOWALTER_SANDBOX_MYSQLD_OPTS:-}; do echo "${opt}"; done
  } >"${tmp}"
  mv -f "${tmp}" "${cnf}"

  tmp="$(mktemp "${client_cnf}.XXXXXX")"
  {
    echo "# Generated by scripts/sandbox.sh: root over the unix socket (root has no password)."
    echo "[client]"
    echo "user=root"
    echo "socket=${socket}"
    echo "protocol=SOCKET"
    echo "default-character-set=utf8mb4"
  } >"${tmp}"
  mv -f "${tmp}" "${client_cnf}"
}

# The [mysqld] lines of a Galera node: wsrep on, every node on loopback with its own ports, rsync
# SST (works as root), ROW binlog format and interleaved AUTO-INC locks as Galera requires.
galera_options() {
  local inst="$1" g addresses="" n
  g="$(galera_gcomm_port "${inst}")"
  for n in 1 2 3; do
    addresses+="${addresses:+,}${HOST}:$(galera_gcomm_port "galera${n}")"
  done
  echo "binlog_format=ROW"
  echo "innodb_autoinc_lock_mode=2"
  echo "default_storage_engine=InnoDB"
  echo "wsrep_on=ON"
  echo "wsrep_provider=${GALERA_PROVIDER}"
  echo "wsrep_cluster_name=shadowalter_sandbox"
  echo "wsrep_cluster_address=gcomm://${addresses}"
  echo "wsrep_node_name=${inst}"
  echo "wsrep_node_address=${HOST}:${g}"
  echo "wsrep_node_incoming_address=${HOST}:$(inst_port "${inst}")"
  echo "wsrep_provider_options=\"base_host=${HOST};base_port=${g};ist.recv_addr=${HOST}:$((g + 1));gcache.size=64M\""
  echo "wsrep_sst_method=rsync"
  echo "wsrep_sst_receive_address=${HOST}:$((g + 2))"
  echo "wsrep_slave_threads=2"
  echo "innodb_flush_log_at_trx_commit=2"
}

# --- process helpers ----------------------------------------------------------------------------

# True when the process exists and is not a zombie waiting to be reaped.
pid_alive() {
  local state=""
  kill -0 "$1" 2>/dev/null || return 1
  if [[ -r "/proc/$1/stat" ]]; then
    state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null || true)"
  fi
  [[ "${state}" != Z ]]
}

# Prints the pid of a running instance, or fails.
inst_pid() {
  local pidfile pid comm
  pidfile="$(inst_pidfile "$1")"
  [[ -s "${pidfile}" ]] || return 1
  pid="$(tr -d '[:space:]' <"${pidfile}")"
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  pid_alive "${pid}" || return 1
  # Guard against a stale pid file whose pid now belongs to something else.
  comm="$(cat "/proc/${pid}/comm" 2>/dev/null || true)"
  if [[ -n "${comm}" && "${comm}" != mariadbd && "${comm}" != mysqld ]]; then
    return 1
  fi
  echo "${pid}"
}

is_running() { inst_pid "$1" >/dev/null; }

# Admin client: root over the instance's socket.
sql() {
  local inst="$1"
  shift
  # The caller's client environment (e.g. MYSQL_PWD for the sandbox user) must not reach root.
  env -u MYSQL_PWD -u MYSQL_HOST -u MYSQL_TCP_PORT -u MYSQL_UNIX_PORT \
    "${MARIADB}" --defaults-file="$(inst_client_cnf "${inst}")" --connect-timeout=5 "$@"
}

# Runs one statement, prints the result without headers (tab separated).
sql_value() {
  local inst="$1" stmt="$2"
  sql "${inst}" --batch --skip-column-names -e "${stmt}"
}

answers() { sql_value "$1" "SELECT 1" >/dev/null 2>&1; }

port_in_use() {
  (exec 3<>"/dev/tcp/${HOST}/$1") 2>/dev/null
}

# Starts mariadbd for an instance (initialising an empty datadir first) and waits until it answers.
# Sets FRESH_<inst>=1 when the datadir was initialised now.
launch() {
  local inst="$1" datadir cnf errlog pid launched=""
  datadir="$(inst_datadir "${inst}")"
  cnf="$(inst_cnf "${inst}")"
  errlog="$(inst_errlog "${inst}")"

  if is_running "${inst}"; then
    log "${inst} already running (pid $(inst_pid "${inst}"))"
  else
    local port
    port="$(inst_port "${inst}")"
    if port_in_use "${port}"; then
      die "port ${port} for the ${inst} is already in use by another process"
    fi
    rm -f "$(inst_pidfile "${inst}")"
    if [[ -n "${GALERA_JOINER:-}" && ! -f "${datadir}/grastate.dat" ]]; then
      # A new cluster node gets its data from a donor (rsync SST). rsync's daemon, started as
      # root, writes as nobody: the empty datadir must be nobody's (root reads it all the same).
      log "${inst} joins with an empty datadir: its data comes from the cluster"
      find "${datadir}" -mindepth 1 -delete
      if [[ "$(id -u)" -eq 0 ]]; then chown nobody:nogroup "${datadir}"; fi
    elif [[ ! -d "${datadir}/mysql" ]]; then
      log "initialising ${inst} datadir ${datadir}"
      # Half-initialised leftovers would make mariadb-install-db fail or lie.
      find "${datadir}" -mindepth 1 -delete
      local args=(--defaults-file="${cnf}" --auth-root-authentication-method=normal
        --skip-test-db --skip-name-resolve)
      if [[ "$(id -u)" -eq 0 ]]; then
        args+=(--user=root)
      fi
      if ! "${INSTALL_DB}" "${args[@]}" >"$(inst_dir "${inst}")/install-db.log" 2>&1; then
        cat "$(inst_dir "${inst}")/install-db.log" >&2
        die "mariadb-install-db failed for the ${inst}"
      fi
      touch "$(inst_dir "${inst}")/.fresh"
    fi
    log "starting ${inst} on ${HOST}:${port}"
    # setsid: the server must not die with the shell (or the terminal) that started it.
    # --wait: should setsid have to fork, it stays as the server's parent, so $! tracks it.
    local extra=()
    if [[ -n "${GALERA_BOOTSTRAP:-}" ]]; then extra+=(--wsrep-new-cluster); fi
    setsid --wait "${MARIADBD}" --defaults-file="${cnf}" "${extra[@]}" \
      >>"$(inst_dir "${inst}")/mariadbd.out" 2>&1 </dev/null &
    launched=$!
  fi

  local deadline=$((SECONDS + START_TIMEOUT))
  until answers "${inst}"; do
    if ((SECONDS >= deadline)); then
      tail -n 30 "${errlog}" >&2 2>/dev/null || true
      die "${inst} did not answer within ${START_TIMEOUT} s (log: ${errlog})"
    fi
    if [[ -n "${launched}" ]] && ! pid_alive "${launched}"; then
      tail -n 30 "${errlog}" >&2 2>/dev/null || true
      die "${inst} exited during startup (log: ${errlog})"
    fi
    sleep 0.5
  done
  pid="$(inst_pid "${inst}" || echo '?')"
  log "${inst} is up (pid ${pid})"
}

# First start after mariadb-install-db: remove anonymous users, start with an empty binlog.
# Runs with sql_log_bin=0 on each server separately, so nothing of it is replicated.
first_start_setup() {
  local inst="$1" marker
  marker="$(inst_dir "${inst}")/.fresh"
  [[ -e "${marker}" ]] || return 0
  log "first start of the ${inst}: removing anonymous and remote root users, resetting the binlog"
  local drops
  drops="$(sql_value "${inst}" "SELECT CONCAT('DROP USER IF EXISTS ''', User, '''@''', Host, ''';')
      FROM mysql.user
      WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1'))")"
  sql "${inst}" -e "SET SESSION sql_log_bin = 0; ${drops} DROP DATABASE IF EXISTS test;
      RESET MASTER; SET GLOBAL gtid_slave_pos = '';"
  rm -f "${marker}"
}

# Users are created on the primary with binary logging on, so they replicate: the replica starts
# replicating from the primary's first binlog (which was empty after install), so it gets them
# too, and it keeps its position over restarts. Every statement is idempotent.
ensure_primary_users() {
  local present
  present="$(sql_value primary "SELECT COUNT(*) FROM mysql.user
      WHERE (User = '${SANDBOX_USER}' AND Host IN ('127.0.0.1', 'localhost'))
         OR (User = '${REPL_USER}' AND Host = '127.0.0.1')")"
  if [[ "${present}" == 3 ]]; then
    return 0
  fi
  log "creating users ${SANDBOX_USER} and ${REPL_USER} on the primary"
  sql primary -e "
    CREATE USER IF NOT EXISTS '${SANDBOX_USER}'@'127.0.0.1' IDENTIFIED BY '${SANDBOX_PASSWORD}';
    CREATE USER IF NOT EXISTS '${SANDBOX_USER}'@'localhost' IDENTIFIED BY '${SANDBOX_PASSWORD}';
    GRANT ALL PRIVILEGES ON *.* TO '${SANDBOX_USER}'@'127.0.0.1' WITH GRANT OPTION;
    GRANT ALL PRIVILEGES ON *.* TO '${SANDBOX_USER}'@'localhost' WITH GRANT OPTION;
    CREATE USER IF NOT EXISTS '${REPL_USER}'@'127.0.0.1' IDENTIFIED BY '${REPL_PASSWORD}';
    GRANT REPLICATION SLAVE ON *.* TO '${REPL_USER}'@'127.0.0.1';"
}

# Prints one field of SHOW SLAVE STATUS on the replica (empty when replication is not configured).
slave_field() {
  local field="$1"
  sql replica -e "SHOW SLAVE STATUS\G" 2>/dev/null |
    awk -v f="${field}" -F': ' '{ k = $1; gsub(/^ +/, "", k) } k == f { sub(/^[^:]*: /, ""); print; exit }'
}

ensure_replication() {
  local configured_port
  configured_port="$(slave_field Master_Port)"
  if [[ -z "${configured_port}" ]]; then
    log "configuring replication ${HOST}:${PRIMARY_PORT} -> ${HOST}:${REPLICA_PORT}"
    sql replica -e "
      CHANGE MASTER TO MASTER_HOST='${HOST}', MASTER_PORT=${PRIMARY_PORT},
        MASTER_USER='${REPL_USER}', MASTER_PASSWORD='${REPL_PASSWORD}',
        MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=slave_pos;
      START SLAVE;"
  elif [[ "${configured_port}" != "${PRIMARY_PORT}" ]]; then
    log "primary port changed (${configured_port} -> ${PRIMARY_PORT}); re-pointing the replica"
    sql replica -e "
      STOP SLAVE;
      CHANGE MASTER TO MASTER_HOST='${HOST}', MASTER_PORT=${PRIMARY_PORT},
        MASTER_USE_GTID=slave_pos;
      START SLAVE;"
  else
    # A no-op (with a note) when the slave threads already run.
    sql replica -e "START SLAVE;" 2>/dev/null || true
  fi
}

wait_replicating() {
  local deadline=$((SECONDS + START_TIMEOUT)) io sql_running
  while :; do
    io="$(slave_field Slave_IO_Running)"
    sql_running="$(slave_field Slave_SQL_Running)"
    if [[ "${io}" == Yes && "${sql_running}" == Yes ]]; then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      sql replica -e "SHOW SLAVE STATUS\G" >&2 || true
      die "replication is not running after ${START_TIMEOUT} s (IO=${io:-?} SQL=${sql_running:-?})"
    fi
    sleep 0.5
  done
}

# Waits until the replica has applied the primary's current binlog position.
sync_replica() {
  local timeout="$1" pos result
  pos="$(sql_value primary "SELECT @@GLOBAL.gtid_binlog_pos")"
  if [[ -z "${pos}" ]]; then
    return 0
  fi
  result="$(sql_value replica "SELECT MASTER_GTID_WAIT('${pos}', ${timeout})")"
  if [[ "${result}" != 0 ]]; then
    echo "sandbox: replica did not reach primary position ${pos} within ${timeout} s" >&2
    return 1
  fi
}

# --- commands -----------------------------------------------------------------------------------

cmd_start() {
  need_binaries
  mkdir -p "${SANDBOX_DIR}"
  touch "${SANDBOX_DIR}/${MARKER}"

  # The replica is derived from the primary: a newly initialised primary means a new replica.
  if [[ ! -d "$(inst_datadir primary)/mysql" && -d "$(inst_datadir replica)/mysql" ]]; then
    log "primary datadir is new; discarding the old replica datadir"
    stop_instance replica
    rm -rf "$(inst_datadir replica)"
  fi

  ensure_tls
  write_configs primary
  write_configs replica

  launch primary
  first_start_setup primary
  ensure_primary_users

  launch replica
  first_start_setup replica
  ensure_replication
  wait_replicating
  sync_replica "${START_TIMEOUT}" || die "replica did not catch up with the primary"
  cmd_status
}

stop_instance() {
  local inst="$1" pid
  if ! pid="$(inst_pid "${inst}")"; then
    log "${inst} is not running"
    rm -f "$(inst_pidfile "${inst}")"
    return 0
  fi
  log "stopping ${inst} (pid ${pid})"
  kill -TERM "${pid}" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while pid_alive "${pid}"; do
    if ((SECONDS >= deadline)); then
      log "${inst} did not stop within ${STOP_TIMEOUT} s; sending SIGKILL"
      kill -KILL "${pid}" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.2
  done
  rm -f "$(inst_pidfile "${inst}")"
  log "${inst} stopped"
}

cmd_stop() {
  cmd_galera_stop_quiet
  if is_running plain; then stop_instance plain; fi
  if is_running downstream; then stop_instance downstream; fi
  stop_instance replica
  stop_instance primary
}

# First start of a server that gets none of the primary's users through replication (the plain
# one, the downstream one): anonymous users go, the sandbox user is made locally.
own_users_on_first_start() {
  local inst="$1" drops
  [[ -e "$(inst_dir "${inst}")/.fresh" ]] || return 0
  log "first start of the ${inst} server: removing anonymous users, creating ${SANDBOX_USER}"
  drops="$(sql_value "${inst}" "SELECT CONCAT('DROP USER IF EXISTS ''', User, '''@''', Host, ''';')
      FROM mysql.user
      WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1'))")"
  sql "${inst}" -e "${drops} DROP DATABASE IF EXISTS test;
    CREATE USER IF NOT EXISTS '${SANDBOX_USER}'@'127.0.0.1' IDENTIFIED BY '${SANDBOX_PASSWORD}';
    CREATE USER IF NOT EXISTS '${SANDBOX_USER}'@'localhost' IDENTIFIED BY '${SANDBOX_PASSWORD}';
    GRANT ALL PRIVILEGES ON *.* TO '${SANDBOX_USER}'@'127.0.0.1' WITH GRANT OPTION;
    GRANT ALL PRIVILEGES ON *.* TO '${SANDBOX_USER}'@'localhost' WITH GRANT OPTION;"
  rm -f "$(inst_dir "${inst}")/.fresh"
}

# The stand-alone server without TLS. Its first start initialises its datadir (a few seconds);
# later starts reuse it.
cmd_plain_start() {
  need_binaries
  mkdir -p "${SANDBOX_DIR}"
  touch "${SANDBOX_DIR}/${MARKER}"
  write_configs plain
  launch plain
  own_users_on_first_start plain
  log "plain server (no TLS) is up on ${HOST}:${PLAIN_PORT}"
}

cmd_plain_stop() { stop_instance plain; }

# A replica of the replica. Each start points it at the replica's current binlog position, after
# dropping every schema it holds (the chain's history before that is not its business), so a
# test's schema created after the start reaches it, and nothing left over from an earlier start
# can break its replication.
cmd_downstream_start() {
  need_binaries
  is_running replica || die "the sandbox replica is not running (scripts/sandbox.sh start)"
  mkdir -p "${SANDBOX_DIR}"
  touch "${SANDBOX_DIR}/${MARKER}"
  write_configs downstream
  launch downstream
  own_users_on_first_start downstream
  local drops pos
  # Replication stopped first: what it still had to apply (an earlier test's DROP DATABASE) must
  # not race the drops below.
  sql downstream -e "STOP SLAVE; RESET SLAVE ALL;"
  drops="$(sql_value downstream "SELECT CONCAT('DROP DATABASE IF EXISTS \`', SCHEMA_NAME, '\`;')
      FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN
      ('mysql', 'information_schema', 'performance_schema', 'sys')")"
  pos="$(sql_value replica "SELECT @@GLOBAL.gtid_binlog_pos")"
  log "pointing the downstream server at the replica ${HOST}:${REPLICA_PORT} from ${pos:-the start}"
  sql downstream -e "${drops}
    SET GLOBAL gtid_slave_pos = '${pos}';
    CHANGE MASTER TO MASTER_HOST='${HOST}', MASTER_PORT=${REPLICA_PORT},
      MASTER_USER='${REPL_USER}', MASTER_PASSWORD='${REPL_PASSWORD}',
      MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=slave_pos;
    START SLAVE;"
  local deadline=$((SECONDS + START_TIMEOUT)) status
  until status="$(sql downstream -e "SHOW SLAVE STATUS\G" 2>/dev/null)" &&
    grep -q "Slave_IO_Running: Yes" <<<"${status}" &&
    grep -q "Slave_SQL_Running: Yes" <<<"${status}"; do
    ((SECONDS < deadline)) || die "the downstream server does not replicate: ${status}"
    sleep 0.5
  done
  log "downstream server is up on ${HOST}:${DOWNSTREAM_PORT}, replicating from the replica"
}

cmd_downstream_stop() { stop_instance downstream; }

# --- the Galera cluster ------------------------------------------------------------------------

galera_value() { sql_value "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2; }

galera_synced() {
  [[ "$(galera_value "$1" wsrep_local_state_comment)" == Synced &&
    "$(galera_value "$1" wsrep_cluster_status)" == Primary ]]
}

wait_galera_synced() {
  local inst="$1" deadline=$((SECONDS + START_TIMEOUT))
  until galera_synced "${inst}"; do
    if ((SECONDS >= deadline)); then
      tail -n 30 "$(inst_errlog "${inst}")" >&2 2>/dev/null || true
      die "${inst} is not Synced in a Primary cluster after ${START_TIMEOUT} s"
    fi
    sleep 0.5
  done
}

# The first node bootstraps the cluster, unless another node is up to join; a sandbox cluster
# is always safe to bootstrap from node 1 (its data is the tests' only).
cmd_galera_start() {
  need_binaries
  [[ -r "${GALERA_PROVIDER}" ]] || die "${GALERA_PROVIDER} not found (apt-get install galera-4)"
  command -v rsync >/dev/null || die "rsync not found (apt-get install rsync)"
  mkdir -p "${SANDBOX_DIR}"
  touch "${SANDBOX_DIR}/${MARKER}"
  local n inst
  for n in 1 2 3; do write_configs "galera${n}"; done
  if ! is_running galera2 && ! is_running galera3 && ! is_running galera1; then
    local grastate
    grastate="$(inst_datadir galera1)/grastate.dat"
    if [[ -f "${grastate}" ]]; then sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "${grastate}"; fi
    GALERA_BOOTSTRAP=1 launch galera1
  else
    launch galera1
  fi
  wait_galera_synced galera1
  own_users_on_first_start galera1
  for n in 2 3; do
    inst="galera${n}"
    # A joiner's data comes from the donor (SST): no users of its own to make.
    GALERA_JOINER=1 launch "${inst}"
    wait_galera_synced "${inst}"
  done
  log "Galera cluster is up: $(galera_value galera1 wsrep_cluster_size) nodes on ${HOST}:${GALERA_PORT}-$((GALERA_PORT + 2))"
}

cmd_galera_stop_quiet() {
  local n
  for n in 3 2 1; do
    if is_running "galera${n}"; then stop_instance "galera${n}"; fi
  done
}

cmd_galera_stop() {
  cmd_galera_stop_quiet
  log "Galera cluster stopped"
}

cmd_galera_status() {
  need_client
  local n ok=0
  for n in 1 2 3; do
    if is_running "galera${n}" && galera_synced "galera${n}"; then
      log "galera${n}: $(galera_value "galera${n}" wsrep_local_state_comment), cluster size $(galera_value "galera${n}" wsrep_cluster_size), port $(inst_port "galera${n}")"
    else
      log "galera${n}: not running or not synced"
      ok=1
    fi
  done
  return "${ok}"
}

cmd_status() {
  need_client
  local ok=0 inst pid
  for inst in primary replica; do
    if pid="$(inst_pid "${inst}")"; then
      if answers "${inst}"; then
        local version
        version="$(sql_value "${inst}" "SELECT VERSION()")"
        echo "${inst}: running (pid ${pid}) on ${HOST}:$(inst_port "${inst}"), ${version}, gtid_binlog_pos=$(sql_value "${inst}" "SELECT @@GLOBAL.gtid_binlog_pos")"
      else
        echo "${inst}: process ${pid} runs but does not answer on $(inst_socket "${inst}")"
        ok=1
      fi
    else
      echo "${inst}: not running"
      ok=1
    fi
  done
  if is_running replica && answers replica; then
    local io sqlr lag ioerr sqlerr slavepos
    io="$(slave_field Slave_IO_Running)"
    sqlr="$(slave_field Slave_SQL_Running)"
    if [[ -z "${io}" ]]; then
      echo "replication: not configured"
      ok=1
    else
      lag="$(slave_field Seconds_Behind_Master)"
      slavepos="$(sql_value replica "SELECT @@GLOBAL.gtid_slave_pos")"
      echo "replication: IO=${io} SQL=${sqlr} Seconds_Behind_Master=${lag} Gtid_Slave_Pos=${slavepos}"
      ioerr="$(slave_field Last_IO_Error)"
      sqlerr="$(slave_field Last_SQL_Error)"
      [[ -z "${ioerr}" ]] || echo "replication: Last_IO_Error: ${ioerr}"
      [[ -z "${sqlerr}" ]] || echo "replication: Last_SQL_Error: ${sqlerr}"
      [[ "${io}" == Yes && "${sqlr}" == Yes ]] || ok=1
    fi
  else
    echo "replication: unknown (replica down)"
    ok=1
  fi
  return "${ok}"
}

cmd_env() {
  printf 'export SHADOWALTER_HOST=%q\n' "${HOST}"
  printf 'export SHADOWALTER_PRIMARY_PORT=%q\n' "${PRIMARY_PORT}"
  printf 'export SHADOWALTER_REPLICA_PORT=%q\n' "${REPLICA_PORT}"
  printf 'export SHADOWALTER_PLAIN_PORT=%q\n' "${PLAIN_PORT}"
  printf 'export SHADOWALTER_DOWNSTREAM_PORT=%q\n' "${DOWNSTREAM_PORT}"
  printf 'export SHADOWALTER_GALERA_PORT=%q\n' "${GALERA_PORT}"
  printf 'export SHADOWALTER_USER=%q\n' "${SANDBOX_USER}"
  printf 'export SHADOWALTER_PASSWORD=%q\n' "${SANDBOX_PASSWORD}"
  printf 'export SHADOWALTER_PRIMARY_SOCKET=%q\n' "$(inst_socket primary)"
  printf 'export SHADOWALTER_REPLICA_SOCKET=%q\n' "$(inst_socket replica)"
  printf 'export SHADOWALTER_SANDBOX_DIR=%q\n' "${SANDBOX_DIR}"
  printf 'export SHADOWALTER_TLS_CA=%q\n' "$(tls_dir)/ca.pem"
  printf 'export SHADOWALTER_TLS_OTHER_CA=%q\n' "$(tls_dir)/other-ca.pem"
}

cmd_reset() {
  if [[ -d "${SANDBOX_DIR}" ]]; then
    if [[ ! -e "${SANDBOX_DIR}/${MARKER}" ]] && [[ -n "$(ls -A "${SANDBOX_DIR}")" ]]; then
      die "${SANDBOX_DIR} is not a sandbox directory (no ${MARKER}); not deleting it"
    fi
    cmd_stop
    rm -rf "${SANDBOX_DIR}"
    log "deleted ${SANDBOX_DIR}"
  else
    log "nothing to reset (${SANDBOX_DIR} does not exist)"
  fi
}

cmd_sync() {
  need_client
  local timeout="${1:-120}"
  [[ "${timeout}" =~ ^[0-9]+$ ]] || die "bad timeout: ${timeout}"
  if ! is_running primary || ! is_running replica; then
    die "the sandbox is not running"
  fi
  sync_replica "${timeout}"
  log "replica is in sync with the primary"
}

cmd_sql() {
  need_client
  local inst="${1:-}"
  [[ "${inst}" == primary || "${inst}" == replica || "${inst}" == plain ||
    "${inst}" == downstream || "${inst}" == galera[1-3] ]] ||
    die "usage: $0 sql primary|replica|plain|downstream|galera1|galera2|galera3 [args]"
  shift
  sql "${inst}" "$@"
}

usage() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  shift || true
  case "${cmd}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    reset) cmd_reset ;;
    sync) cmd_sync "$@" ;;
    sql) cmd_sql "$@" ;;
    plain-start) cmd_plain_start ;;
    plain-stop) cmd_plain_stop ;;
    downstream-start) cmd_downstream_start ;;
    downstream-stop) cmd_downstream_stop ;;
    galera-start) cmd_galera_start ;;
    galera-stop) cmd_galera_stop ;;
    galera-status) cmd_galera_status ;;
    -h | --help | help)
      usage
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
