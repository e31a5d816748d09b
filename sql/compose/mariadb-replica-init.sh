#!/bin/bash
# First start of the mariadb-replica container (docker-compose.yml, profile "mariadb"; mounted into
# /docker-entrypoint-initdb.d; the image's entrypoint runs it against its temporary, socket-only
# server, as root). Waits for the primary, then replicates from it with MariaDB GTIDs.
#
# The entrypoint executes this file when it is executable and sources it otherwise; everything runs
# in a subshell so that neither `set -u` nor `exit` leaks into the entrypoint.
#
# Environment (set in docker-compose.yml): REPLICATION_SOURCE_HOST, REPLICATION_SOURCE_PORT,
# REPLICATION_USER, REPLICATION_PASSWORD, REPLICATION_WAIT_SECONDS, MARIADB_ROOT_PASSWORD.
(
  set -euo pipefail

  source_host="${REPLICATION_SOURCE_HOST:-mariadb-primary}"
  source_port="${REPLICATION_SOURCE_PORT:-3306}"
  repl_user="${REPLICATION_USER:-repl}"
  repl_password="${REPLICATION_PASSWORD:-repl-pass}"
  wait_seconds="${REPLICATION_WAIT_SECONDS:-300}"
  client="$(command -v mariadb || command -v mysql)"

  note() { echo "mariadb-replica-init: $*"; }

  local_sql() {
    local socket_args=()
    if [[ -n "${SOCKET:-}" ]]; then
      socket_args=(--socket="${SOCKET}")
    fi
    MYSQL_PWD="${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}" \
      "${client}" --protocol=socket -uroot "${socket_args[@]}" "$@"
  }

  # The primary's own init runs against a server without networking, so a TCP login as the
  # replication user succeeds only once the primary is initialised and really up.
  note "waiting for ${source_host}:${source_port} (up to ${wait_seconds} s)"
  deadline=$((SECONDS + wait_seconds))
  until MYSQL_PWD="${repl_password}" "${client}" --protocol=TCP -h "${source_host}" \
    -P "${source_port}" -u "${repl_user}" --connect-timeout=5 -e 'SELECT 1' >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      note "the primary did not answer within ${wait_seconds} s" >&2
      exit 1
    fi
    sleep 2
  done

  note "replicating from ${source_host}:${source_port}"
  # RESET MASTER drops this server's own binlog (local init work only) and an empty gtid_slave_pos
  # makes it replicate the primary's binlog from the very beginning: its users and the demo schema.
  # (With gtid_strict_mode, leftover local GTIDs in domain 0 would also stop the replica.)
  local_sql <<SQL
STOP SLAVE;
RESET MASTER;
SET GLOBAL gtid_slave_pos = '';
CHANGE MASTER TO
  MASTER_HOST = '${source_host}',
  MASTER_PORT = ${source_port},
  MASTER_USER = '${repl_user}',
  MASTER_PASSWORD = '${repl_password}',
  MASTER_USE_GTID = slave_pos,
  MASTER_CONNECT_RETRY = 5;
START SLAVE;
SQL

  # Wait until the primary's users have arrived: proof that replication works end to end.
  deadline=$((SECONDS + wait_seconds))
  until [[ "$(local_sql -N -e "SELECT COUNT(*) FROM mysql.user WHERE User = 'sandbox'")" -ge 1 ]]; do
    if ((SECONDS >= deadline)); then
      local_sql -e 'SHOW SLAVE STATUS\G' >&2 || true
      note "replication did not deliver the primary's users within ${wait_seconds} s" >&2
      exit 1
    fi
    sleep 1
  done
  note "replication is running"
)
