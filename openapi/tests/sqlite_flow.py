"""Run as a script by ``test_make_run_sqlite.py``, in a process of its own on a fresh SQLite
database that ``migrate`` and ``seed_demo`` prepared (what ``make run`` serves): the demo
partner signs on and makes every kind of payment call. Prints one JSON line of results."""

import json
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402

from billing.models import DepositAccount, LedgerEntry  # noqa: E402
from openapi.tests.digestclient import md5  # noqa: E402
from products.models import Product  # noqa: E402
from profiles.models import Credential  # noqa: E402

PASSWORD = sys.argv[1]
credential = Credential.objects.get(username=sys.argv[2])
client = Client(REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")
challenge = client.get("/auth/Sign-On")["WWW-Authenticate"]
nonce = challenge.split('nonce="')[1].split('"')[0]
count = 0


def post(path: str, body: dict) -> dict:
    global count
    count += 1
    nc, cnonce = f"{count:08x}", secrets.token_hex(8)
    ha1 = md5(f"{credential.username}:WebOpenAPI:{PASSWORD}")
    response = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{md5('POST:' + path)}")
    header = (
        f'Digest username="{credential.username}", realm="WebOpenAPI", '
        f'nonce="{nonce}", uri="{path}", algorithm=MD5, qop=auth, nc={nc}, '
        f'cnonce="{cnonce}", response="{response}"'
    )
    return client.post(
        path,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    ).json()


signed = post(
    "/auth/Sign-On",
    {
        "mitra": credential.mitra,
        "accountID": credential.account_id,
        "merchantID": credential.merchant_id,
        "merchantName": credential.merchant_name,
        "counterID": credential.counter_id,
    },
)
base = {"sessionID": signed["SessionID"], "merchantID": credential.merchant_id}
bill = {"productID": "100301", "customerID": "530000000001", "referenceID": "SQ-PLN-1"}
asked = post("/Services/Inquiry", {**base, **bill})
amounts = {k: asked["data"][k] for k in ("tagihan", "admin", "total")}
paid = post("/Services/Payment", {**base, **bill, **amounts})
again = post("/Services/Payment", {**base, **bill, **amounts})
price = f"{Product.objects.get(code='501021').price:012d}"
sale = {
    "productID": "501021",
    "customerID": "081200000001",
    "referenceID": "SQ-PULSA-1",
}
bought = post(
    "/Services/SinglePayment",
    {**base, **sale, "tagihan": price, "admin": "000000000000", "total": price},
)
day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))
status = post(
    "/Services/Check-Status",
    {"merchantID": credential.merchant_id, "tglTransaksi": day, **sale},
)
ledger_exact = all(
    account.balance
    == (
        LedgerEntry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0
    )
    for account in DepositAccount.objects.all()
)
print(
    json.dumps(
        {
            "rc": [
                signed["rc"],
                asked["rc"],
                paid["rc"],
                again["rc"],
                bought["rc"],
                status["rc"],
            ],
            "ledger_exact": ledger_exact,
        }
    )
)
