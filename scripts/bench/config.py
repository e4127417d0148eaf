"""The run's settings: where things are, the database and Redis, the seeded partners'
names, the endpoints and the goals."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CELERY = str(ROOT / ".venv" / "bin" / "celery")
GUNICORN_CONFIG = str(ROOT / "deploy" / "gunicorn.conf.py")
# This package, run again in a subprocess (``--seed``, ``--route``) from the repository's root.
SELF = [PYTHON, "-m", "scripts.bench"]
DB_NAME = os.environ.get("BENCH_DB", "webopenapi_bench")
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
REALM = "WebOpenAPI"
PASSWORD = "bench-Rahasia-2026"  # noqa: S105 - a throw-away database
PARTNER_CODE = "MTRBENCH"
PORTAL_PARTNER_CODE = "MTRPORTAL"
PORTAL_USERNAME = "mtrportal"
PORTAL_TRANSACTIONS = 300
POSTPAID = "100301"  # PLN Pascabayar
PREPAID = "501021"  # Telkomsel 10.000
ENDPOINTS = ("ping", "Inquiry", "Payment", "SinglePayment", "Check-Status")
NETWORK_ENDPOINTS = ("ping", "Inquiry", "Payment", "SinglePayment")
PEAK_ENDPOINTS = ("Payment", "SinglePayment")
# Ratios to /ping: the in-process table and the network table at 0 ms upstream latency.
GOALS = {"Inquiry": 0.35, "Payment": 0.20, "SinglePayment": 0.15}
P99_LIMIT_MS = 150.0
PEAK_RPS_GOAL = 150.0
PEAK_P99_LIMIT_MS = 1500.0
PORTAL_P99_LIMIT_MS = 300.0
EXHAUSTED = "exhausted"
PENDING = "pending"
SLICE_SECONDS = 3.0
WARM_SECONDS = 3.0
SAMPLE_SECONDS = 0.5
# The longest the inquiries for the peak's payments may take to make.
STOCK_SECONDS = 120.0
# The network part: the simulator's shared key (a throw-away, like the database) and the
# provider row made for it.
NETWORK_KEY = "bench-netsim-" + "k" * 20
NETWORK_ENV = "BENCHNET"
NETWORK_PROVIDER = "benchnet"
NETWORK_TIMEOUT_SECONDS = 10
