#!/usr/bin/env bash
# A real PostgreSQL server for the adapter's server tests: Debian's package, started on
# 127.0.0.1:5432, with a role and a database for the tests. Idempotent: a machine that
# already has it (a second CI run) only makes sure it runs. Prints the URL to export.
set -euo pipefail

ROLE=capa
PASSWORD=capa
DATABASE=capa_test

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing postgresql from Debian" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main"' | grep -q .; then
  pg_createcluster "$VERSION" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  pg_ctlcluster "$VERSION" main start >&2
fi

# Wait until it takes connections (start returns once the postmaster is up, usually ready).
for _ in $(seq 1 30); do
  if su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done

su postgres -c "psql -v ON_ERROR_STOP=1 -qAt" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  END IF;
  -- The adapter's tests create a restricted role to check migrate() without CREATE.
  ALTER ROLE $ROLE CREATEROLE;
END \$\$;
SQL
if ! su postgres -c "psql -qAtc \"select 1 from pg_database where datname = '$DATABASE'\"" | grep -q 1; then
  su postgres -c "createdb -O $ROLE $DATABASE" >&2
fi

echo "postgres://$ROLE:$PASSWORD@127.0.0.1:5432/$DATABASE"
