"""The owner requires two-factor login: users without it set it up at their next login, and
sessions already open are held on the set-up page (middleware)."""

import pyotp
import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from portal.models import AuditEvent
from usermgmt import services
from usermgmt.login import PENDING
from usermgmt.middleware import TwoFactorRequiredMiddleware
from usermgmt.models import TeamSettings, TwoFactor
from usermgmt.tests.factories import TwoFactorFactory

LOGIN_URL = reverse("accounts:login")
CODE_URL = reverse("usermgmt:two_factor_login")
POLICY_URL = reverse("usermgmt:two_factor_policy")


@pytest.fixture
def required(owner):
    TwoFactorFactory(user=owner)
    services.two_factor_policy_set(actor=owner, required=True)


def test_the_owner_must_use_it_before_requiring_it(owner_client, owner):
    response = owner_client.post(POLICY_URL, {"required": "1"}, follow=True)

    assert "Aktifkan verifikasi dua langkah untuk akun Anda sendiri" in (
        response.content.decode()
    )
    assert not TeamSettings.objects.filter(two_factor_required=True).exists()


def test_the_owner_turns_the_requirement_on_and_off(owner_client, owner):
    TwoFactorFactory(user=owner)

    on = owner_client.post(POLICY_URL, {"required": "1"}, follow=True)
    assert "kini wajib" in on.content.decode()
    assert TeamSettings.objects.get(partner=owner.partner).two_factor_required

    owner_client.post(POLICY_URL, {"required": "0"})
    assert not TeamSettings.objects.get(partner=owner.partner).two_factor_required
    assert (
        AuditEvent.objects.filter(action="usermgmt.two_factor_policy_changed").count()
        == 2
    )


def test_the_setting_is_shown_to_the_owner_only(owner_client, client, administrator):
    assert (
        "Wajibkan untuk Semua User"
        in owner_client.get(reverse("usermgmt:list")).content.decode()
    )
    client.force_login(administrator)
    assert (
        "Wajibkan untuk Semua User"
        not in client.get(reverse("usermgmt:list")).content.decode()
    )


def test_a_user_without_it_must_set_it_up_before_any_page(
    client, required, sub_user, password
):
    response = client.post(
        LOGIN_URL,
        {"identifier": sub_user.username, "password": password, "next": "/transaksi/"},
    )

    assert response["Location"] == CODE_URL
    assert SESSION_KEY not in client.session
    page = client.get(CODE_URL)
    assert "mewajibkan verifikasi dua langkah" in page.content.decode()
    assert "<svg" in page.content.decode()

    secret = client.session[PENDING]["secret"]
    done = client.post(CODE_URL, {"code": pyotp.TOTP(secret).now()})

    assert client.session[SESSION_KEY] == str(sub_user.pk)
    assert TwoFactor.objects.filter(user=sub_user, secret=secret).exists()
    assert len(done.context["codes"]) == 10
    assert done.context["continue_url"] == "/transaksi/"


def test_a_wrong_set_up_code_does_not_log_in(client, required, sub_user, password):
    client.post(LOGIN_URL, {"identifier": sub_user.username, "password": password})

    response = client.post(CODE_URL, {"code": "000000"})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert not TwoFactor.objects.filter(user=sub_user).exists()


def test_users_of_other_partners_are_not_affected(client, required, outsider, password):
    client.post(LOGIN_URL, {"identifier": outsider.username, "password": password})

    assert client.session[SESSION_KEY] == str(outsider.pk)


def _through_middleware(rf, user, path):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.get(path)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return TwoFactorRequiredMiddleware(lambda r: "page")(request)


def test_the_middleware_holds_open_sessions_on_the_set_up_page(rf, required, sub_user):
    response = _through_middleware(rf, sub_user, "/transaksi/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("usermgmt:two_factor_setup"))
    assert "next=%2Ftransaksi%2F" in response["Location"]
    assert (
        _through_middleware(rf, sub_user, reverse("usermgmt:two_factor_setup"))
        == "page"
    )
    assert _through_middleware(rf, sub_user, reverse("accounts:logout")) == "page"


def test_the_middleware_lets_users_with_two_factor_through(
    rf, required, owner, outsider
):
    assert _through_middleware(rf, owner, "/transaksi/") == "page"
    assert _through_middleware(rf, outsider, "/transaksi/") == "page"


def test_the_open_api_is_not_held_nor_given_a_session(client, required, sub_user):
    """An Open API call skips the browser middlewares: a partner's server sending the
    cookie of a held session still gets the API's JSON answer, and no cookie back."""
    client.force_login(sub_user)

    page = client.get("/transaksi/")
    api = client.post(
        reverse("openapi:inquiry"), data=b"{}", content_type="application/json"
    )

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("usermgmt:two_factor_setup"))
    assert api.status_code == 401
    assert api.json()["rc"] == "10"
    assert "Cookie" not in api.get("Vary", "")
    assert not api.cookies
