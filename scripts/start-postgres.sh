#!/usr/bin/env bash
# Starts the local PostgreSQL 15 server that the PostgreSQL store and queue tests use, and prints its URL.
# Safe to run again: installs the Debian package only when its binaries are missing, initialises the data
# directory only once, starts the server only when it is not running, and creates the test role and
# database only when they do not exist.
#
#   CJE_PG_DIR   folder holding the data directory, socket and log (default /tmp/cje-pg)
#   CJE_PG_PORT  TCP port on 127.0.0.1 (default 54329)
#
# The tests read the URL from CJE_TEST_POSTGRES_URL and default to the one printed here.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR="${CJE_PG_DIR:-/tmp/cje-pg}"
PG_PORT="${CJE_PG_PORT:-54329}"
DATA="$PG_DIR/data"
SOCKETS="$PG_DIR/run"
LOG="$PG_DIR/postgres.log"
ROLE=cje
PASSWORD=cje
DATABASE=cje_test

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends postgresql-15
fi

# The server refuses to run as root: as root, everything runs as the postgres OS user.
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi

mkdir -p "$PG_DIR" "$SOCKETS"
if [ "$(id -u)" -eq 0 ]; then chown "$owner" "$PG_DIR" "$SOCKETS"; fi
chmod 700 "$PG_DIR"

if [ ! -s "$DATA/PG_VERSION" ]; then
  as_owner "$PG_BIN/initdb" --pgdata="$DATA" --username=postgres --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi

if ! as_owner "$PG_BIN/pg_ctl" status --pgdata="$DATA" >/dev/null 2>&1; then
  as_owner "$PG_BIN/pg_ctl" start --pgdata="$DATA" --log="$LOG" --wait --timeout=60 \
    --options="-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$SOCKETS -c max_connections=200" >/dev/null
fi

psql_admin() { as_owner psql --no-psqlrc --quiet --tuples-only --no-align --host="$SOCKETS" --port="$PG_PORT" --username=postgres --dbname=postgres "$@"; }
if [ "$(psql_admin --command="SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  psql_admin --command="CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'"
fi
if [ "$(psql_admin --command="SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
  psql_admin --command="CREATE DATABASE $DATABASE OWNER $ROLE"
fi

echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$PG_PORT/$DATABASE"
