#!/usr/bin/env bash
# The whole suite on the embedded SQLite store, then every database test again on PostgreSQL.
# pytest's exit code 5 ("no tests collected") counts as failure, never as green.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/python -m pytest)
# Tests that touch the store; the rest (file reading, browser, property tests) does not depend on it.
DATABASE_TESTS=(tests/test_store.py tests/test_queries.py tests/test_import.py tests/test_cli_import.py
  tests/test_app_pages.py tests/test_upload_page.py tests/test_redaktion_page.py tests/test_editing.py
  tests/test_backup.py tests/test_data_token.py tests/test_gaps.py tests/test_factsheet.py tests/test_maps.py tests/test_auth.py
  tests/test_cli_errors.py tests/test_proxy.py)  # HAProxy + two app processes on one database: PostgreSQL only, skipped on SQLite

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
INTEGRA_TEST_DATABASE_URL="$url" strict "${PYTEST[@]}" -m "not sqlite_only" "${DATABASE_TESTS[@]}"
