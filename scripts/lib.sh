# shellcheck shell=bash
# Shared set-up steps for scripts/portal, scripts/test and scripts/bench.
# Everything lives under the checkout: .venv/ (Python) and .run/ (PostgreSQL, Redis, config,
# logs, uploads), so a second clone does not disturb the first. Ports can be moved with the
# SPLPDEPOK_* variables documented in the README.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${SPLPDEPOK_RUN_DIR:-$ROOT/.run}
VENV=${SPLPDEPOK_VENV:-$ROOT/.venv}
PG_PORT=${SPLPDEPOK_PG_PORT:-54329}
REDIS_PORT=${SPLPDEPOK_REDIS_PORT:-63799}
CKAN_PORT=${SPLPDEPOK_CKAN_PORT:-5000}
PG_BIN=${SPLPDEPOK_PG_BIN:-}
PYTHON=${SPLPDEPOK_PYTHON:-python3}

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

# --- system packages -------------------------------------------------------------------------

_apt_updated=0
ensure_debian_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      die "missing system packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
    fi
  fi
  [ "${SPLPDEPOK_NO_APT:-0}" = 1 ] && die "missing system packages: ${missing[*]} (SPLPDEPOK_NO_APT=1 forbids installing them)"
  command -v apt-get >/dev/null || die "missing system packages: ${missing[*]}, and this is not a Debian/Ubuntu machine"
  say "installing system packages: ${missing[*]}"
  if [ "$_apt_updated" = 0 ]; then $sudo apt-get update -qq >/dev/null; _apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_base_packages() {
  ensure_debian_packages postgresql redis-server libpq-dev gcc python3-dev
}

# --- Python ------------------------------------------------------------------------------------

# pip, without the machine-specific index warnings some hosts print on every call.
_pip() {
  "$VENV/bin/pip" --disable-pip-version-check -q "$@" 2> >(grep -v "^WARNING: Location 'file:" >&2)
}

# Creates .venv and installs the pinned requirements (runtime, or runtime + test tools).
# A stamp holding the hash of the requirement files makes a second run a no-op.
ensure_venv() {
  local kind=${1:-runtime} req=requirements.txt
  [ "$kind" = test ] && req=requirements-test.txt
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
    _pip install --upgrade "pip==24.3.1" "setuptools==75.6.0" "wheel==0.45.1"
  fi
  local stamp="$VENV/.splpdepok-$kind" want
  want=$(cat "$ROOT/requirements.txt" "$ROOT/$req" "$ROOT/setup.py" | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python dependencies ($req)"
    _pip install -r "$ROOT/$req"
    _pip install --no-deps -e "$ROOT"
    echo "$want" >"$stamp"
  fi
  compile_translations
}

# The type gate (tests/test_types.py) runs pyright, whose PyPI wrapper (pinned in
# requirements-test.txt) needs Node.js and npm: Debian's, installed when missing. The wrapper then
# fetches the pinned pyright from the npm registry once into its cache (~/.cache/pyright-python,
# or $PYRIGHT_PYTHON_CACHE_DIR); fetching it here keeps the download out of the test itself.
ensure_pyright() {
  { command -v node && command -v npm; } >/dev/null || ensure_debian_packages nodejs npm
  PYRIGHT_PYTHON_IGNORE_WARNINGS=1 "$VENV/bin/pyright" --version >/dev/null \
    || die "could not fetch pyright $("$VENV/bin/python" -c 'import pyright; print(pyright.__pyright_version__)' 2>/dev/null) from the npm registry"
}

compile_translations() {
  "$VENV/bin/python" "$ROOT/scripts/compile_i18n.py" 2>/dev/null
}

# --- PostgreSQL ----------------------------------------------------------------------------------

_pg_bin() {
  if [ -z "$PG_BIN" ]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    [ -n "$PG_BIN" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
  fi
  echo "$PG_BIN"
}

# initdb and postgres refuse to run as root: as root, the cluster belongs to the 'postgres' user
# and lives where that user can reach it.
_pg_user_run() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The folder holding the cluster (data/), its socket (sock/) and its log. As root it belongs to
# 'postgres', and moves to /var/tmp when that user cannot reach the checkout.
pg_base() {
  if [ -n "${SPLPDEPOK_PG_BASE:-}" ]; then echo "$SPLPDEPOK_PG_BASE"; return; fi
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    echo "/var/tmp/splpdepok-$(echo "$ROOT" | sha256sum | cut -c1-8)-pg"
  else
    echo "$RUN_DIR/pg"
  fi
}

pg_dir() { echo "$(pg_base)/data"; }

pg_start() {
  local bin base
  bin=$(_pg_bin); base=$(pg_base)
  mkdir -p "$base/data" "$base/sock" "$RUN_DIR"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$base"; fi
  chmod 700 "$base/data"
  if [ ! -f "$base/data/PG_VERSION" ]; then
    say "creating PostgreSQL cluster in $base/data"
    _pg_user_run "$bin/initdb" -D "$base/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! _pg_user_run "$bin/pg_ctl" -D "$base/data" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    _pg_user_run "$bin/pg_ctl" -D "$base/data" -l "$base/postgres.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $PG_PORT -k $base/sock -c fsync=${SPLPDEPOK_PG_FSYNC:-on}" start >/dev/null \
      || { tail -n 20 "$base/postgres.log" >&2; die "PostgreSQL did not start"; }
  fi
}

pg_stop() {
  local bin data
  bin=$(_pg_bin); data=$(pg_dir)
  if [ -f "$data/PG_VERSION" ] && _pg_user_run "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    say "stopping PostgreSQL"
    _pg_user_run "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

pg_running() { _pg_user_run "$(_pg_bin)/pg_ctl" -D "$(pg_dir)" status >/dev/null 2>&1; }

psql_admin() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

pg_ensure_db() {
  local name=$1
  if [ -z "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
    say "creating database $name"
    psql_admin -d postgres -c "CREATE DATABASE \"$name\" ENCODING 'UTF8' TEMPLATE template0" >/dev/null
  fi
}

pg_url() { echo "postgresql://postgres@127.0.0.1:$PG_PORT/$1"; }

# --- Redis ---------------------------------------------------------------------------------------

redis_start() {
  mkdir -p "$RUN_DIR/redis"
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
  say "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save "" --appendonly no \
    --dir "$RUN_DIR/redis" --pidfile "$RUN_DIR/redis/redis.pid" --logfile "$RUN_DIR/redis/redis.log"
  local i
  for i in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "Redis did not start (see $RUN_DIR/redis/redis.log)"
}

redis_stop() {
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    say "stopping Redis"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
}

redis_url() { echo "redis://127.0.0.1:$REDIS_PORT/${1:-0}"; }

# --- CKAN ----------------------------------------------------------------------------------------

ckan_cmd() { "$VENV/bin/ckan" -c "$CKAN_INI" "$@"; }

# `ckan db init` applies CKAN's own migrations and then those of every enabled plugin.
ckan_migrate() {
  ckan_cmd db init >/dev/null
}
