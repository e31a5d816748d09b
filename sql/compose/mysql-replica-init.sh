#!/bin/bash
# First start of the mysql-replica container (docker-compose.yml mounts this file into
# /docker-entrypoint-initdb.d; the image's entrypoint runs it against its temporary, socket-only
# server, as root). Waits for the primary, then replicates from it with GTID auto-positioning.
#
# The entrypoint executes this file when it is executable and sources it otherwise; everything runs
# in a subshell so that neither `set -u` nor `exit` leaks into the entrypoint.
#
# Environment (set in docker-compose.yml): REPLICATION_SOURCE_HOST, REPLICATION_SOURCE_PORT,
# REPLICATION_USER, REPLICATION_PASSWORD, REPLICATION_WAIT_SECONDS, MYSQL_ROOT_PASSWORD.
(
  set -euo pipefail

  source_host="${REPLICATION_SOURCE_HOST:-mysql-primary}"
  source_port="${REPLICATION_SOURCE_PORT:-3306}"
  repl_user="${REPLICATION_USER:-repl}"
  repl_password="${REPLICATION_PASSWORD:-repl-pass}"
  wait_seconds="${REPLICATION_WAIT_SECONDS:-300}"

  note() { echo "mysql-replica-init: $*"; }

  local_sql() {
    local socket_args=()
    if [[ -n "${SOCKET:-}" ]]; then
      socket_args=(--socket="${SOCKET}")
    fi
    MYSQL_PWD="${MYSQL_ROOT_PASSWORD:-}" mysql --protocol=socket -uroot "${socket_args[@]}" "$@"
  }

  # The primary's own init runs against a server without networking, so a TCP login as the
  # replication user succeeds only once the primary is initialised and really up.
  note "waiting for ${source_host}:${source_port} (up to ${wait_seconds} s)"
  deadline=$((SECONDS + wait_seconds))
  until MYSQL_PWD="${repl_password}" mysql --protocol=TCP -h "${source_host}" -P "${source_port}" \
    -u "${repl_user}" --connect-timeout=5 -e 'SELECT 1' >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      note "the primary did not answer within ${wait_seconds} s" >&2
      exit 1
    fi
    sleep 2
  done

  note "replicating from ${source_host}:${source_port}"
  # RESET MASTER empties this server's own gtid_executed (only local init work), so that
  # auto-positioning fetches everything the primary ever logged: its users and the demo schema.
  local_sql <<SQL
RESET MASTER;
CHANGE REPLICATION SOURCE TO
  SOURCE_HOST = '${source_host}',
  SOURCE_PORT = ${source_port},
  SOURCE_USER = '${repl_user}',
  SOURCE_PASSWORD = '${repl_password}',
  SOURCE_AUTO_POSITION = 1,
  SOURCE_CONNECT_RETRY = 5,
  GET_SOURCE_PUBLIC_KEY = 1;
START REPLICA;
SQL

  # Wait until the primary's users have arrived: proof that replication works end to end.
  deadline=$((SECONDS + wait_seconds))
  until [[ "$(local_sql -N -e "SELECT COUNT(*) FROM mysql.user WHERE User = 'sandbox'")" -ge 1 ]]; do
    if ((SECONDS >= deadline)); then
      local_sql -e 'SHOW REPLICA STATUS\G' >&2 || true
      note "replication did not deliver the primary's users within ${wait_seconds} s" >&2
      exit 1
    fi
    sleep 1
  done
  note "replication is running"
)
