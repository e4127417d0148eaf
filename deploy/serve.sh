#!/usr/bin/env bash
# `make serve`: migrations, static files, then gunicorn, a Celery worker and Celery beat on
# PostgreSQL and Redis, with DEBUG off, and the network biller simulator (billers.netsim: an
# upstream provider on 127.0.0.1, H2H JSON, on the port of SERVE_BIND + 100 and its control
# port + 1; SERVE_NETSIM=off leaves it out). Ctrl-C (or SIGTERM/SIGHUP) stops them all and
# waits for them; a second Ctrl-C stops waiting. If one of them dies, the others are stopped.
#
# With SITE_URL on plain http (the default, http://127.0.0.1:8000) this is "local production":
# production settings except the https-only ones (SSL redirect, Secure cookies), and a secret
# key kept in var/serve-secret-key. With SITE_URL on https nothing is relaxed and SECRET_KEY
# must be set. See README.md, "Running for real".
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
export DATABASE_URL="${DATABASE_URL:-${PG_URL:-postgres://postgres@127.0.0.1:5432/webopenapi}}"
export REDIS_URL="${REDIS_URL:-${REDIS:-redis://127.0.0.1:6379/0}}"
export DEBUG="${DEBUG:-off}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:8000}"
export SERVE_BIND="${SERVE_BIND:-127.0.0.1:8000}"
STOP_TIMEOUT="${SERVE_STOP_TIMEOUT:-30}"
SERVE_NETSIM="${SERVE_NETSIM:-on}"
NETSIM_PORT="${NETSIM_PORT:-$((${SERVE_BIND##*:} + 100))}"
((NETSIM_PORT < 65535)) || NETSIM_PORT=$((NETSIM_PORT - 200))
mkdir -p var

# The simulator's shared key, made once (like the secret key below); the Open API's processes
# read it as the credential of a provider whose credentials prefix is NETSIM.
if [[ "$SERVE_NETSIM" != "off" && -z "${NETSIM_KEYS:-}" ]]; then
  netsim_key_file=var/netsim-key
  if [[ ! -s "$netsim_key_file" ]]; then
    (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))' \
      >"$netsim_key_file")
  fi
  NETSIM_KEYS="$(cat "$netsim_key_file")"
fi
if [[ "$SERVE_NETSIM" != "off" ]]; then
  export NETSIM_KEYS
  export NETSIM_DEVELOPMENT_KEY="${NETSIM_DEVELOPMENT_KEY:-${NETSIM_KEYS%%,*}}"
  export NETSIM_PRODUCTION_KEY="${NETSIM_PRODUCTION_KEY:-${NETSIM_KEYS%%,*}}"
fi

if [[ "$SITE_URL" == https://* ]]; then
  mode="production"
else
  mode="local production over plain http (SSL redirect and Secure cookies off)"
  export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-off}"
  export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-off}"
  export CSRF_COOKIE_SECURE="${CSRF_COOKIE_SECURE:-off}"
  export LANGUAGE_COOKIE_SECURE="${LANGUAGE_COOKIE_SECURE:-off}"
  if [[ -z "${SECRET_KEY:-}" ]]; then
    key_file=var/serve-secret-key
    if [[ ! -s "$key_file" ]]; then
      (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' \
        >"$key_file")
    fi
    SECRET_KEY="$(cat "$key_file")"
    export SECRET_KEY
  fi
fi

"$BIN/python" deploy/createdb.py
"$BIN/python" manage.py migrate --noinput
# The product catalogue (idempotent: staff price and status changes are kept).
"$BIN/python" manage.py load_catalogue
"$BIN/python" manage.py collectstatic --noinput --verbosity 0

stop() {
  trap - EXIT INT TERM HUP
  trap 'kill -KILL $(jobs -rp) 2>/dev/null; exit 130' INT
  local running
  running="$(jobs -rp)"
  if [[ -n "$running" ]]; then
    echo "serve: stopping gunicorn, the Celery worker and beat, the simulator…" >&2
    # shellcheck disable=SC2086
    kill -TERM $running 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while [[ -n "$(jobs -rp)" ]] && ((SECONDS < deadline)); do
      sleep 0.2
    done
    running="$(jobs -rp)"
    # shellcheck disable=SC2086
    [[ -z "$running" ]] || kill -KILL $running 2>/dev/null || true
  fi
  wait || true
  echo "serve: stopped" >&2
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

"$BIN/celery" -A portal worker --loglevel INFO --concurrency "${CELERY_CONCURRENCY:-2}" &
"$BIN/celery" -A portal beat --loglevel INFO &
"$BIN/gunicorn" portal.wsgi --config deploy/gunicorn.conf.py &
if [[ "$SERVE_NETSIM" != "off" ]]; then
  # Remembers what it took in var/ (a restart keeps pending payments answerable); tells
  # the final status of a pending payment to the provider callback of a provider coded
  # "netsim".
  "$BIN/python" -m billers.netsim --port "$NETSIM_PORT" \
    --state "${NETSIM_STATE:-var/netsim-state.jsonl}" \
    --callback-url "${NETSIM_CALLBACK_URL:-http://$SERVE_BIND/upstream/callback/netsim}" &
  echo "serve: network simulator on http://127.0.0.1:$NETSIM_PORT (H2H JSON)," \
    "control on http://127.0.0.1:$((NETSIM_PORT + 1))/control" >&2
fi

echo "serve: $mode on http://$SERVE_BIND (health: /healthz); Ctrl-C stops everything" >&2
status=0
wait -n || status=$?
echo "serve: a process ended (exit $status); stopping the others" >&2
exit "$status"
