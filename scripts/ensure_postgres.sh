#!/usr/bin/env bash
# Make sure PostgreSQL server binaries (initdb, pg_ctl, postgres) are on this machine.
# The test suite and the benchmarks start their own throwaway server from them.
# Idempotent: does nothing when /usr/lib/postgresql/*/bin/initdb exists.
set -euo pipefail

have_server() {
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

if have_server; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
    command -v sudo >/dev/null || {
        echo "ensure_postgres: PostgreSQL server binaries are missing and I am not root;" \
             "install Debian's 'postgresql' package" >&2
        exit 1
    }
else
    SUDO=
fi

echo "ensure_postgres: installing PostgreSQL server binaries (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2 || { echo "ensure_postgres: apt-get update failed" >&2; exit 1; }
# the package's post-install may try to start a cluster; that is harmless and not needed
$SUDO apt-get install -y -qq --no-install-recommends postgresql >&2 || {
    echo "ensure_postgres: apt-get install postgresql failed" >&2
    exit 1
}

if ! have_server; then
    echo "ensure_postgres: postgresql installed but no /usr/lib/postgresql/*/bin/initdb found" >&2
    exit 1
fi
echo "ensure_postgres: ok ($(ls -d /usr/lib/postgresql/*/bin | tail -n1))" >&2
