#!/usr/bin/env bash
# Makes sure the services the tests talk to answer on loopback: PostgreSQL on 5432 (user postgres,
# trust auth from 127.0.0.1, database `test`) and Redis on 6379. A service already answering is used
# as it is; an installed one that is stopped is started; a PostgreSQL this script had to start from a
# fresh Debian install is set up for the tests. `npm test` runs this after installing packages.
set -euo pipefail
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done; return 1; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"

if ! port_open 5432; then
  command -v pg_ctlcluster >/dev/null 2>&1 || { echo "PostgreSQL is not installed: run bash .ci/install-system-packages.sh" >&2; exit 1; }
  version=$(ls /etc/postgresql | sort -V | tail -1)
  # A fresh Debian cluster asks for a password over TCP; the tests connect as postgres from loopback.
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! $SUDO grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_port 5432 || { echo "PostgreSQL did not start: see /var/log/postgresql/" >&2; exit 1; }
  echo "services: started PostgreSQL $version"
fi
if command -v psql >/dev/null 2>&1 && ! psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -d postgres -c 'create database test' >/dev/null
  echo "services: created the database test"
fi

if ! port_open 6379; then
  command -v redis-server >/dev/null 2>&1 || { echo "Redis is not installed: run bash .ci/install-system-packages.sh" >&2; exit 1; }
  mkdir -p /tmp/arena-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp/arena-redis --logfile /tmp/arena-redis/redis.log
  wait_port 6379 || { echo "Redis did not start: see /tmp/arena-redis/redis.log" >&2; exit 1; }
  echo "services: started Redis"
fi
echo "services: PostgreSQL and Redis answer on 127.0.0.1"
