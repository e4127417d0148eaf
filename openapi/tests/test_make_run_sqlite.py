"""``make run`` serves SQLite: the Open API's hand-written SQL must work there too (the
PostgreSQL-only parts, prepared statements and the lateral product lookup, step aside)."""

import json
import subprocess
import sys
from pathlib import Path

from openapi.tests.sqlite_demo import ROOT, sqlite_demo


def test_the_demo_partner_pays_on_sqlite(tmp_path):
    env, seeded = sqlite_demo(tmp_path)
    values = dict(
        line.split("=", 1) for line in seeded.splitlines() if line.startswith("DEV_")
    )

    flow = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(Path(__file__).with_name("sqlite_flow.py")),
            values["DEV_PASSWORD"],
            values["DEV_USERNAME"],
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    result = json.loads(flow.stdout.strip().splitlines()[-1])
    # Sign-On, Inquiry, Payment, the same Payment again, SinglePayment, Check-Status.
    assert result["rc"] == ["00", "00", "00", "86", "00", "00"], flow.stderr[-2000:]
    assert result["ledger_exact"]
