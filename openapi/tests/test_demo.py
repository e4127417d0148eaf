"""The demo partner of `make run`: made through the real services, safe to run twice, and the
curl session of the README works against it."""

import os
import re
import shlex
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Partner
from billing.selectors import deposit_balance
from connections.models import Connection
from openapi.demo import DEMO_PASSWORDS, LIVE_CODES, OWNER_PHONE
from portal.lib.review import ReviewStatus
from products.models import PartnerProduct
from profiles.models import Credential
from profiles.selectors import credential_check_password

README = Path(__file__).resolve().parents[2] / "README.md"
NAMES = (
    "DEV_USERNAME",
    "DEV_PASSWORD",
    "PROD_USERNAME",
    "PROD_PASSWORD",
    "MITRA",
    "ACCOUNT_ID",
    "MERCHANT_ID",
    "MERCHANT_NAME",
    "COUNTER_ID",
)


def _seed(settings) -> dict[str, str]:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = {}
    for line in out.getvalue().splitlines():
        match = re.fullmatch(r"([A-Z_]+)=(.*)", line)
        if match:
            printed[match[1]] = shlex.split(match[2])[0]
    return printed


@pytest.mark.django_db
def test_seed_twice_gives_one_ready_partner_with_stable_credentials(settings):
    first = _seed(settings)
    second = _seed(settings)

    assert set(NAMES) <= set(first)
    assert first == second
    dev = Credential.objects.get(username=first["DEV_USERNAME"])
    prod = Credential.objects.get(username=first["PROD_USERNAME"])
    partner = dev.partner
    assert (
        partner.name == "PT Demo Mitra Sejahtera"
        and partner.status == Partner.Status.ACTIVE
    )
    assert partner.owner.phone == OWNER_PHONE
    assert credential_check_password(dev, DEMO_PASSWORDS["development"])
    assert credential_check_password(prod, DEMO_PASSWORDS["production"])
    assert first["MERCHANT_ID"] == dev.merchant_id and first["MITRA"] == partner.code
    approved = Connection.objects.filter(
        partner=partner, review_status=ReviewStatus.APPROVED, deleted_at__isnull=True
    )
    assert sorted(approved.values_list("environment", "address")) == [
        ("development", "127.0.0.1"),
        ("development", "::1"),
        ("production", "127.0.0.1"),
        ("production", "::1"),
    ]
    chosen = PartnerProduct.objects.filter(partner=partner)
    assert chosen.values("product__category").distinct().count() >= 6
    live = chosen.filter(state=PartnerProduct.State.ACTIVE)
    assert sorted(live.values_list("product__code", flat=True)) == sorted(LIVE_CODES)
    assert deposit_balance(partner=partner, environment="development") == 10_000_000
    assert deposit_balance(partner=partner, environment="production") > 5_000_000


@pytest.mark.django_db(transaction=True)
def test_the_readme_curl_session_works(settings, live_server):
    printed = _seed(settings)
    section = README.read_text().split("## Try the Open API at once (curl)")[1]
    section = section.split("\n## ")[0]
    session = re.findall(r"```sh\n(.*?)```", section, re.S)[-1]
    env = {**os.environ, **printed, "API_URL": live_server.url}

    result = subprocess.run(  # noqa: S603 - the README's own commands
        ["bash", "-euo", "pipefail", "-c", session],  # noqa: S607
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    answers = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.stdout.startswith("SessionID ")
    rcs = [re.search(r'"rc": "(\d\d)"', line)[1] for line in answers]
    # get-Deposit, Inquiry, Payment, SinglePayment, pending SinglePayment, Check-Status
    assert rcs == ["00", "00", "00", "00", "71", "00"], result.stdout
