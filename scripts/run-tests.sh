#!/usr/bin/env bash
# The whole suite on the embedded SQLite store, then every database test again on PostgreSQL.
# pytest's exit code 5 ("no tests collected") counts as failure, never as green.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/python -m pytest)
# Tests that use the store (marked `db` by tests/conftest.py) run again on PostgreSQL.

strict() {
  "$@"
  local rc=$?
  if [ "$rc" -eq 5 ]; then echo "FEHLER: keine Tests gefunden" >&2; return 1; fi
  return "$rc"
}

echo "== Tests auf SQLite =="
strict "${PYTEST[@]}" || exit $?
echo "== Datenbanktests auf PostgreSQL =="
url=$(scripts/postgres-for-tests.sh) || { echo "FEHLER: PostgreSQL für die Tests nicht erreichbar" >&2; exit 1; }
INTEGRA_TEST_DATABASE_URL="$url" strict "${PYTEST[@]}" -m "db and not sqlite_only"
