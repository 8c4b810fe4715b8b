#!/usr/bin/env bash
# Starts (or reuses) a private PostgreSQL cluster for the tests that claim PostgreSQL, and prints on stdout
#   export ORCHESTRATOR_TEST_POSTGRES="Host=127.0.0.1;Port=…;Username=…;Password=…;Database=…"
# so that   eval "$(ops/postgres.sh)"   prepares the environment. Everything else goes to stderr.
#
# The cluster listens on 127.0.0.1 only (never on a public address), on the first free port from 55432, with its
# socket and data under $ORCHESTRATOR_PG_BASE (default /var/tmp/orchestrator-pg). It is separate from any system
# cluster. Idempotent: a running cluster is reused; a stopped one is started again on its recorded port.
# Installs Debian's postgresql package when no server binaries are present (needs root).
#
#   ops/postgres.sh          start or reuse, print the export line
#   ops/postgres.sh stop     stop the private cluster (data is kept)
#   ops/postgres.sh destroy  stop it and delete its data
set -euo pipefail

base=${ORCHESTRATOR_PG_BASE:-/var/tmp/orchestrator-pg}
first_port=${ORCHESTRATOR_PG_PORT:-55432}
db_user=orchestrator
db_name=orchestrator_test
data="$base/data"
log="$base/server.log"

say() { echo "postgres: $*" >&2; }
die() { say "$*"; exit 1; }

# Debian's versioned binaries; a /usr/local/bin/pg_ctl may exist too, but the versioned path is authoritative.
find_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

bindir=$(find_bindir || true)
if [ -z "$bindir" ]; then
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed; run as root (apt-get install postgresql) or install it"
  say "installing Debian's postgresql package"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bindir=$(find_bindir) || die "postgresql installed, but no initdb/pg_ctl under /usr/lib/postgresql/*/bin"
fi

# initdb and the server refuse to run as root: run them as the postgres account when we are root.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "no 'postgres' user to run the server as (is the postgresql package installed?)"
  pg_user=postgres
  as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
  pg_user=$(id -un)
  as_pg() { (cd / && "$@"); }
fi

pg_ctl() { as_pg "$bindir/pg_ctl" -D "$data" "$@"; }
running() { [ -f "$data/PG_VERSION" ] && pg_ctl status >/dev/null 2>&1; }

case "${1:-start}" in
  stop)
    if running; then pg_ctl -m fast -w stop >&2; else say "not running"; fi
    exit 0 ;;
  destroy)
    if running; then pg_ctl -m immediate -w stop >&2; fi
    rm -rf "$base"
    say "removed $base"
    exit 0 ;;
  start) ;;
  *) die "usage: $0 [start|stop|destroy]" ;;
esac

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

mkdir -p "$base"
chmod 700 "$base"
[ "$(id -u)" -eq 0 ] && chown "$pg_user" "$base"

if [ ! -f "$data/PG_VERSION" ]; then
  port=$first_port
  while port_in_use "$port"; do
    port=$((port + 1))
    [ "$port" -lt $((first_port + 100)) ] || die "no free port in $first_port..$((first_port + 99))"
  done
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  say "initialising a private cluster in $data (port $port)"
  as_pg "$bindir/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null 2>"$base/initdb.log" \
    || { cat "$base/initdb.log" >&2; die "initdb failed"; }
  # Bound to loopback only; socket in our own directory (no dependency on /var/run/postgresql).
  as_pg tee -a "$data/postgresql.conf" >/dev/null <<EOF

# ops/postgres.sh: private test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$base'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  echo "$port" >"$base/port"
  (umask 077 && echo "$password" >"$base/password")
else
  port=$(cat "$base/port") || die "$base/port is missing; run '$0 destroy' and try again"
  password=$(cat "$base/password") || die "$base/password is missing; run '$0 destroy' and try again"
fi

if running; then
  say "reusing the running cluster on 127.0.0.1:$port"
else
  port_in_use "$port" && die "port $port is taken by another process; stop it or run '$0 destroy' and try again"
  say "starting the cluster on 127.0.0.1:$port (log: $log)"
  [ "$(id -u)" -eq 0 ] && touch "$log" && chown "$pg_user" "$log"
  pg_ctl -l "$log" -w -t 60 start >/dev/null || { tail -20 "$log" >&2; die "the server did not start"; }
fi

psql_admin() { as_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$base" -p "$port" -U postgres -d postgres "$@"; }

# Role and database, idempotently; the password is (re)set from the stored one.
psql_admin -v user="$db_user" -v pass="$password" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'user')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN CREATEDB PASSWORD :'pass';
SQL
psql_admin -v user="$db_user" -v db="$db_name" >&2 <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

echo "export ORCHESTRATOR_TEST_POSTGRES=\"Host=127.0.0.1;Port=$port;Username=$db_user;Password=$password;Database=$db_name\""
