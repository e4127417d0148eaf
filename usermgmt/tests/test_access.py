"""Who may open Manajemen User: anonymous → login, no USERMGMT → 403, outsider → 404."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from portal.models import AuditEvent
from usermgmt.tests.conftest import user_data
from usermgmt.tests.factories import SubUserFactory


def _object_urls(pk):
    return [reverse("usermgmt:edit", args=[pk]), reverse("usermgmt:delete", args=[pk])]


def test_anonymous_visitors_are_sent_to_login(client, partner):
    user = SubUserFactory(partner=partner)
    urls = [reverse("usermgmt:list"), reverse("usermgmt:add"), *_object_urls(user.pk)]
    urls += [reverse("usermgmt:security"), reverse("usermgmt:two_factor_setup")]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


def test_a_sub_user_without_usermgmt_gets_403(client, sub_user, partner):
    user = SubUserFactory(partner=partner)
    client.force_login(sub_user)

    for url in [
        reverse("usermgmt:list"),
        reverse("usermgmt:add"),
        *_object_urls(user.pk),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, user_data()).status_code == 403, url
    assert (
        client.post(
            reverse("usermgmt:two_factor_policy"), {"required": "1"}
        ).status_code
        == 403
    )
    user.refresh_from_db()
    assert user.is_active
    assert not AuditEvent.objects.exists()


def test_a_viewer_cannot_add_edit_or_delete(client, partner):
    viewer = UserFactory(
        partner=partner, is_owner=False, access_rights={"usermgmt": "view"}
    )
    user = SubUserFactory(partner=partner)
    client.force_login(viewer)

    assert client.get(reverse("usermgmt:list")).status_code == 200
    for url in [reverse("usermgmt:add"), *_object_urls(user.pk)]:
        assert client.post(url, user_data()).status_code == 403, url
    assert not User.objects.filter(email="siti.rahayu@majujaya.test").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_on_every_object_url(
    client, outsider, partner, owner, method
):
    user = SubUserFactory(partner=partner)
    client.force_login(outsider)

    for pk in (user.pk, owner.pk):
        for url in _object_urls(pk):
            if method == "get" and url.endswith("/hapus/"):
                continue  # POST only (405 to anyone)
            assert getattr(client, method)(url, user_data()).status_code == 404, url
    user.refresh_from_db()
    assert user.is_active and user.name != "Siti Rahayu"


def test_only_the_owner_sets_the_two_factor_requirement(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("usermgmt:two_factor_policy"), {"required": "1"})

    assert response.status_code == 403


def test_staff_are_sent_to_the_back_office(client, staff):
    client.force_login(staff)

    assert client.get(reverse("usermgmt:security")).status_code == 302
    assert client.get(reverse("usermgmt:list")).status_code == 302
