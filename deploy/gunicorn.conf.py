"""gunicorn for `make serve` and the Procfile's web process. Every value can be overridden on
the command line or through GUNICORN_CMD_ARGS.

SERVE_ROLE picks the serving model of a process group (deploy/serve.sh runs one of each per
node, README "Serving model"):

- ``api``: the Open API. A payment spends most of its time waiting for an upstream provider,
  so each worker is an event loop (gevent: API_WORKERS × API_CONNECTIONS requests at once, a
  waiting request is a greenlet, one thread runs Python), and the database connections come
  from psycopg's pool, API_POOL_SIZE per worker: a request holds one only while it uses the
  database (portal.lib.db gives it back during the upstream wait).
- ``portal``: the partners' and staff's pages, PORTAL_WORKERS single-threaded workers, each
  with its own persistent connection. An upstream stall never reaches them.
- ``all`` (the default: one gunicorn for everything, `make serve` with one node): the api
  model with WEB_CONCURRENCY workers, so a page is not queued behind upstream waits either,
  though it shares their workers.
"""

import gc
import os
import socket
import sys
from pathlib import Path

from gunicorn import glogging

ROLE = os.environ.get("SERVE_ROLE", "all")
if ROLE not in ("api", "portal", "all"):
    raise SystemExit(f"SERVE_ROLE must be api, portal or all (got {ROLE!r})")
if ROLE != "portal":
    # Read by the settings below: the pool is a setting of the whole process.
    os.environ["DB_POOL_MAX_SIZE"] = os.environ.get("API_POOL_SIZE", "8")
# Who holds which connection, in pg_stat_activity (libpq reads it when it connects).
os.environ.setdefault("PGAPPNAME", f"webopenapi-{ROLE}")

# The project on the path, so its settings give gunicorn's own lines the same shape as the
# application's (JSON lines with a request id field, secrets masked).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from django.conf import settings  # noqa: E402

bind = os.environ.get("SERVE_BIND", "127.0.0.1:8000")
if ROLE != "portal":
    # gunicorn patches the standard library in each worker before it loads the project;
    # psycopg then waits for the database through gevent, as urllib3 and redis-py do. With
    # 160 threads a worker (gthread), a thread woken by its provider's answer waited for the
    # GIL among the others, and their wake-ups every switch interval kept the 2 cores' run
    # queues long: the portal's pages beside them waited too (README "Serving model").
    worker_class = "gevent"
    workers = int(
        os.environ.get("API_WORKERS" if ROLE == "api" else "WEB_CONCURRENCY", "2")
    )
    # Requests (keep-alive connections) at once per worker.
    worker_connections = int(os.environ.get("API_CONNECTIONS", "1000"))
    # Each worker listens on a socket of its own and the kernel spreads new connections
    # evenly over them: on one shared socket an event loop accepts all it can, and one
    # worker took 157 of the peak's 256 keep-alive connections (the other 99). The master
    # then binds nothing, and another gunicorn on the same address would share it silently:
    # on_starting refuses that.
    reuse_port = True
    # At a few hundred calls a second a worker restarted every 2000 would restart every
    # few seconds, each time dropping its keep-alive connections.
    max_requests = 200_000
    max_requests_jitter = 20_000
else:
    workers = int(os.environ.get("PORTAL_WORKERS", "2"))
    # Recycle workers now and then so a slow leak never becomes an outage.
    max_requests = 2000
    max_requests_jitter = 200

timeout = 30
graceful_timeout = 20
keepalive = 5
# Above the Open API's own limits (openapi/middleware.py: request line 4094, header 8190
# bytes, 100 headers), so that an oversized API call within these gets JSON rc 02 from the
# application; beyond these gunicorn answers its own HTML 414/431. 8190 is the longest
# request line gunicorn allows.
limit_request_line = 8190
limit_request_field_size = 16380
limit_request_fields = 150


class Logger(glogging.Logger):
    """gunicorn's logger without its access line: portal.middleware.RequestIdMiddleware
    writes that one (with the request id). With ``logconfig_dict`` set, gunicorn's own
    ``access`` builds the line's fields for every request (1.7% of an api worker's samples
    at the peak) and hands them to a logger that drops them."""

    def access(self, resp, req, environ, request_time):
        """Nothing: the access line is the middleware's."""


logger_class = Logger
accesslog = None
errorlog = "-"
logconfig_dict = {
    **settings.LOGGING,
    "loggers": {
        "gunicorn.error": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


def on_starting(server):
    """With ``reuse_port`` a gunicorn already listening on the address (an earlier `make
    serve` still running) would take part of the calls with its own code, so a start finds
    the address free first, the way a bind without ``SO_REUSEPORT`` does."""
    if not server.cfg.reuse_port:
        return
    for address in server.cfg.address:
        if not isinstance(address, tuple):
            continue  # a Unix socket path: gunicorn binds it itself
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # Past a closed listener's TIME_WAIT connections, not past a live listener.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address[:2])
            except OSError as exc:
                raise SystemExit(
                    f"{address[0]}:{address[1]} is in use ({exc.strerror}): "
                    "is another gunicorn still running there?"
                ) from None


def post_worker_init(worker):
    """Once the worker has loaded Django and its URL patterns (and with them every view and
    service module: a first request would otherwise import them, stopping the worker's
    other requests for a few hundred milliseconds), the objects it made (most of the heap,
    none of it ever garbage) leave the collector's view. A full collection walks every
    object it tracks, and every request of the worker stops meanwhile, holding what it
    holds (a pooled connection, the lock on an account row). Measured in an API worker at
    the peak (README "Performance"): full collections of 95 ms on average, up to 180 ms;
    25 ms, up to 76 ms, once frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    gc.collect()
    gc.freeze()
