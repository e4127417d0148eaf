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
#
# NODES=N (N ≥ 2; `make serve NODES=2`) runs N web nodes behind nginx instead of the one
# gunicorn: SERVE_BIND is then nginx's address, and node k (0, 1, …) is two gunicorns, each
# its own process group, on 127.0.0.1: the Open API (SERVE_ROLE=api) on SERVE_BIND's port
# + 10 + 2k and the portal (SERVE_ROLE=portal) on + 11 + 2k. nginx (deploy/nginx.conf.template,
# rendered into SERVE_PROXY_DIR, var/nginx/ by default) routes /auth/, /Services/,
# /upstream/ and /ping to the api groups and the rest to the portal groups. The database,
# Redis, the Celery worker, beat and the simulator stay one each. A node that dies is left
# out by nginx and reported here; everything stops only when a shared process dies or no
# node of a group is left. See README.md, "Past one machine".
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
export DATABASE_URL="${DATABASE_URL:-${PG_URL:-postgres://postgres@127.0.0.1:5432/webopenapi}}"
export REDIS_URL="${REDIS_URL:-${REDIS:-redis://127.0.0.1:6379/0}}"
export DEBUG="${DEBUG:-off}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:8000}"
export SERVE_BIND="${SERVE_BIND:-127.0.0.1:8000}"
STOP_TIMEOUT="${SERVE_STOP_TIMEOUT:-30}"
NODES="${NODES:-1}"
# (At most 40: the nodes' ports stay below the simulator's, SERVE_BIND's port + 100.)
if [[ ! "$NODES" =~ ^([1-9]|[1-3][0-9]|40)$ ]]; then
  echo "serve: NODES must be a number from 1 to 40 (got '$NODES')" >&2
  exit 2
fi
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
# NODES ≥ 2: nginx's configuration, then the nodes (each gunicorn its own process group,
# listed in <proxy dir>/nodes as "<role> <node> <pid> <port>", so that one node can be killed
# alone; Ctrl-C reaches them through stop()) and nginx.
declare -A node_name=()
start_nodes() {
  local host="${SERVE_BIND%:*}" port="${SERVE_BIND##*:}"
  local proxy_dir="${SERVE_PROXY_DIR:-var/nginx}"
  local nginx="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
  if [[ ! -x "$nginx" ]]; then
    echo "serve: NODES=$NODES needs nginx (apt-get install nginx), or NGINX=<its path>" >&2
    exit 2
  fi
  mkdir -p "$proxy_dir"
  proxy_dir="$(cd "$proxy_dir" && pwd)"
  local k api_servers="" portal_servers="" trusted_geo="" entry entries
  local health="max_fails=1 fail_timeout=5s"
  for ((k = 0; k < NODES; k++)); do
    api_servers+="        server 127.0.0.1:$((port + 10 + 2 * k)) $health;"$'\n'
    portal_servers+="        server 127.0.0.1:$((port + 11 + 2 * k)) $health;"$'\n'
  done
  # A load balancer in front of nginx, listed in TRUSTED_PROXIES, may say it spoke https.
  IFS=',' read -ra entries <<<"${TRUSTED_PROXIES:-}"
  for entry in "${entries[@]}"; do
    entry="${entry//[[:space:]]/}"
    [[ -z "$entry" ]] || trusted_geo+="        $entry 1;"$'\n'
  done
  local conf
  conf="$(<deploy/nginx.conf.template)"
  shopt -u patsub_replacement 2>/dev/null || true
  conf="${conf//@PROXY_DIR@/$proxy_dir}"
  conf="${conf//@LISTEN@/$host:$port}"
  conf="${conf//@API_SERVERS@/${api_servers%$'\n'}}"
  conf="${conf//@PORTAL_SERVERS@/${portal_servers%$'\n'}}"
  conf="${conf//@TRUSTED_GEO@/${trusted_geo%$'\n'}}"
  printf '%s\n' "$conf" >"$proxy_dir/nginx.conf"
  "$nginx" -t -q -p "$proxy_dir" -c "$proxy_dir/nginx.conf" -e stderr

  # The nodes believe X-Forwarded-For and X-Forwarded-Proto from nginx.
  export TRUSTED_PROXIES="${TRUSTED_PROXIES:+$TRUSTED_PROXIES,}127.0.0.1"
  : >"$proxy_dir/nodes"
  local role node_port
  for ((k = 0; k < NODES; k++)); do
    for role in api portal; do
      node_port=$((port + 10 + 2 * k))
      [[ "$role" == api ]] || node_port=$((node_port + 1))
      # setsid: the gunicorn master and its workers are a process group of their own.
      SERVE_ROLE="$role" SERVE_BIND="127.0.0.1:$node_port" \
        setsid "$BIN/gunicorn" portal.wsgi --config deploy/gunicorn.conf.py &
      node_name[$!]="$role node $((k + 1)) (127.0.0.1:$node_port)"
      echo "$role $((k + 1)) $! $node_port" >>"$proxy_dir/nodes"
    done
  done
  "$nginx" -p "$proxy_dir" -c "$proxy_dir/nginx.conf" -e stderr &
  echo "serve: nginx on http://$SERVE_BIND in front of $NODES nodes (api on ports" \
    "$((port + 10)), $((port + 12)) …, portal on $((port + 11)), $((port + 13)) …;" \
    "see $proxy_dir/nodes and $proxy_dir/access.log)" >&2
}

trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

PGAPPNAME=webopenapi-worker "$BIN/celery" -A portal worker --loglevel INFO --concurrency "${CELERY_CONCURRENCY:-2}" &
PGAPPNAME=webopenapi-beat "$BIN/celery" -A portal beat --loglevel INFO &
if ((NODES == 1)); then
  "$BIN/gunicorn" portal.wsgi --config deploy/gunicorn.conf.py &
else
  start_nodes
fi
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
if ((NODES == 1)); then
  status=0
  wait -n || status=$?
  echo "serve: a process ended (exit $status); stopping the others" >&2
  exit "$status"
fi
while :; do
  status=0
  ended=""
  wait -n -p ended || status=$?
  name="${node_name[${ended:-0}]:-}"
  if [[ -z "$name" ]]; then
    echo "serve: a process ended (exit $status); stopping the others" >&2
    exit "$status"
  fi
  unset "node_name[$ended]"
  role="${name%% *}"
  left=0
  for other in "${node_name[@]}"; do
    [[ "${other%% *}" != "$role" ]] || left=$((left + 1))
  done
  if ((left == 0)); then
    echo "serve: $name ended (exit $status), no $role node is left; stopping the others" >&2
    exit "$status"
  fi
  echo "serve: $name ended (exit $status); nginx sends its requests to the $left other" \
    "$role node(s)" >&2
done
