"""The first check: the caller's IP must be approved for the credential's environment."""

import pytest

from accounts.models import Partner
from connections.tests.factories import ConnectionFactory
from openapi.models import ApiLog
from openapi.tests.digestclient import DigestApi

pytestmark = pytest.mark.django_db


def _sign_on(api, **extra):
    return api.post("/auth/Sign-On", api.signon_body(), **extra)


def test_45_unknown_ip_gets_a_clear_json_answer(client, dev_credential, whitelist):
    api = DigestApi(client, dev_credential, ip="203.0.113.9")

    response = _sign_on(api)

    assert response.status_code == 403
    assert response.json() == {
        "rc": "45",
        "description": "IP 203.0.113.9 belum terdaftar/disetujui untuk Development",
    }


def test_45_ip_approved_only_for_the_other_environment(
    client, partner, prod_credential
):
    ConnectionFactory(
        partner=partner, environment="development", address="203.0.113.9", approved=True
    )
    api = DigestApi(client, prod_credential, ip="203.0.113.9")

    response = _sign_on(api)

    assert response.status_code == 403
    assert response.json()["description"].endswith("untuk Production")


@pytest.mark.parametrize("state", ["pending", "rejected"])
def test_45_entry_not_approved(client, partner, dev_credential, state):
    ConnectionFactory(
        partner=partner,
        environment="development",
        address="203.0.113.9",
        **({"rejected": True} if state == "rejected" else {}),
    )
    response = _sign_on(DigestApi(client, dev_credential, ip="203.0.113.9"))

    assert response.json()["rc"] == "45"


@pytest.mark.parametrize(
    "entry,caller",
    [
        ("203.0.113.0/28", "203.0.113.14"),
        ("2001:db8:5::/48", "2001:db8:5:1::7"),
        ("2001:db8::7", "2001:db8::7"),
        ("203.0.113.7", "::ffff:203.0.113.7"),
    ],
    ids=["ipv4-cidr", "ipv6-cidr", "ipv6", "ipv4-mapped"],
)
def test_cidr_and_ipv6_entries_match(client, partner, dev_credential, entry, caller):
    ConnectionFactory(
        partner=partner, environment="development", address=entry, approved=True
    )
    response = _sign_on(DigestApi(client, dev_credential, ip=caller))

    assert response.json()["rc"] == "00"


def test_ip_outside_the_cidr_range(client, partner, dev_credential):
    ConnectionFactory(
        partner=partner,
        environment="development",
        address="203.0.113.0/28",
        approved=True,
    )
    response = _sign_on(DigestApi(client, dev_credential, ip="203.0.113.16"))

    assert response.json()["rc"] == "45"


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(
    client, partner, dev_credential, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    ConnectionFactory(
        partner=partner, environment="development", address="203.0.113.9", approved=True
    )
    api = DigestApi(client, dev_credential, ip="198.51.100.20")

    response = _sign_on(api, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 403
    assert response.json()["rc"] == "45"
    assert "IP 198.51.100.20 " in response.json()["description"]
    assert ApiLog.objects.get().ip == "198.51.100.20"


@pytest.mark.parametrize("proxies", [["10.0.0.1"], ["10.0.0.0/8"], ["fd00::/8"]])
def test_x_forwarded_for_from_a_trusted_proxy_is_believed(
    client, partner, dev_credential, settings, proxies
):
    settings.TRUSTED_PROXIES = proxies
    proxy = "fd00::1" if ":" in proxies[0] else "10.0.0.1"
    ConnectionFactory(
        partner=partner, environment="development", address="203.0.113.9", approved=True
    )
    api = DigestApi(client, dev_credential, ip=proxy)

    response = _sign_on(api, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")

    assert response.json()["rc"] == "00"
    assert ApiLog.objects.get().ip == "203.0.113.9"


def test_only_the_address_the_trusted_proxy_saw_counts(
    client, partner, dev_credential, settings
):
    """A client can prepend anything to X-Forwarded-For; the right-most address not of a
    trusted proxy is the one that connected to it."""
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    ConnectionFactory(
        partner=partner, environment="development", address="203.0.113.9", approved=True
    )
    api = DigestApi(client, dev_credential, ip="10.0.0.1")

    response = _sign_on(api, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.20")

    assert response.json()["rc"] == "45"
    assert "198.51.100.20" in response.json()["description"]


def test_suspended_partner_is_refused_clearly(dev_api, partner):
    Partner.objects.filter(pk=partner.pk).update(status=Partner.Status.SUSPENDED)

    response = _sign_on(dev_api)

    assert response.status_code == 403
    assert response.json()["rc"] == "10"
    assert "dinonaktifkan" in response.json()["description"]
