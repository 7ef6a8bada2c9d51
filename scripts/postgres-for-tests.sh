#!/usr/bin/env bash
# Install and start Debian's PostgreSQL on loopback and create a role for the test suite.
# Prints the SQLAlchemy URL the tests use (INTEGRA_TEST_DATABASE_URL). Idempotent.
set -euo pipefail
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v pg_ctlcluster >/dev/null; then
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
$SUDO pg_ctlcluster "$version" main start >&2 2>/dev/null || true   # "already running" is fine
for _ in $(seq 1 30); do
  $SUDO runuser -u postgres -- pg_isready -q && break
  sleep 1
done
$SUDO runuser -u postgres -- psql -q -tc "SELECT 1 FROM pg_roles WHERE rolname = 'integra'" | grep -q 1 \
  || $SUDO runuser -u postgres -- psql -q -c "CREATE ROLE integra LOGIN CREATEDB PASSWORD 'integra'" >&2
# DROP DATABASE … WITH (FORCE) in the tests' teardown must also end an autovacuum worker that happens
# to be busy in that database; without this role it failed now and then ("must be a member of … pg_signal_backend").
$SUDO runuser -u postgres -- psql -q -c "GRANT pg_signal_backend TO integra" >/dev/null 2>&1
echo "postgresql+psycopg://integra:integra@127.0.0.1:5432/postgres"
