"""gunicorn for `make serve` and the Procfile's web process. Every value can be overridden on
the command line or through GUNICORN_CMD_ARGS."""

import os
import sys
from pathlib import Path

# The project on the path, so its settings give gunicorn's own lines the same shape as the
# application's (JSON lines with a request id field, secrets masked).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from django.conf import settings  # noqa: E402

bind = os.environ.get("SERVE_BIND", "127.0.0.1:8000")
# Single-threaded workers measured best on 2 cores (make bench): 4 workers, 1 thread each.
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# Above the Open API's own limits (openapi/middleware.py: request line 4094, header 8190
# bytes, 100 headers), so that an oversized API call within these gets JSON rc 02 from the
# application; beyond these gunicorn answers its own HTML 414/431. 8190 is the longest
# request line gunicorn allows.
limit_request_line = 8190
limit_request_field_size = 16380
limit_request_fields = 150
# portal.middleware.RequestIdMiddleware writes the access line (with the request id).
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
