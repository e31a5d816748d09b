#!/usr/bin/env bash
# Validates docker-compose.yml without a container engine: `docker-compose config -q` parses the
# file, checks it against the compose schema and resolves anchors, variables and paths. Runs once
# for the default services and once more with the "mariadb" profile when profiles are supported
# (docker-compose >= 1.28; Debian 12 ships 1.29). Registered as the ctest test docker_compose_config.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPOSE_FILE="${REPO_DIR}/docker-compose.yml"

if [[ -n "${DOCKER_COMPOSE:-}" ]]; then
  read -r -a compose <<<"${DOCKER_COMPOSE}"
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  echo "check-compose: docker-compose not found (run scripts/install-deps.sh)" >&2
  exit 1
fi

[[ -f "${COMPOSE_FILE}" ]] || {
  echo "check-compose: ${COMPOSE_FILE} is missing" >&2
  exit 1
}

# Files the compose file mounts into the containers must exist, or the containers fail at start.
missing=0
for f in sql/demo_schema.sql sql/compose/mysql-primary-init.sql sql/compose/mysql-replica-init.sh \
  sql/compose/mariadb-primary-init.sql sql/compose/mariadb-replica-init.sh; do
  if [[ ! -f "${REPO_DIR}/${f}" ]]; then
    echo "check-compose: ${f} (mounted by docker-compose.yml) is missing" >&2
    missing=1
  fi
done
((missing == 0)) || exit 1

# Run from an empty directory so that no stray .env or override file changes the result.
workdir="$(mktemp -d)"
trap 'rm -rf "${workdir}"' EXIT
cd "${workdir}"

echo "check-compose: ${compose[*]} -f docker-compose.yml config -q"
"${compose[@]}" -f "${COMPOSE_FILE}" --project-directory "${REPO_DIR}" config -q

if "${compose[@]}" --help 2>&1 | grep -q -- '--profile'; then
  echo "check-compose: ${compose[*]} -f docker-compose.yml --profile mariadb config -q"
  "${compose[@]}" -f "${COMPOSE_FILE}" --project-directory "${REPO_DIR}" --profile mariadb config -q
  services="$("${compose[@]}" -f "${COMPOSE_FILE}" --project-directory "${REPO_DIR}" \
    --profile mariadb config --services | sort | tr '\n' ' ')"
  expected="mariadb-primary mariadb-replica mysql-primary mysql-replica "
  if [[ "${services}" != "${expected}" ]]; then
    echo "check-compose: services are '${services}', expected '${expected}'" >&2
    exit 1
  fi
else
  echo "check-compose: this docker-compose does not support profiles; skipped --profile mariadb"
fi
echo "check-compose: OK"
