"""Tenant isolation and access rights, swept over every URL of the portal.

Every named URL pattern (admin, Open API, language switch and static files aside) is requested
with GET and POST by four personas: the owner of partner A, a sub-user of A holding only the
Laporan role, the owner of another partner (the outsider) and an anonymous visitor. Object URLs
point at an object of partner A. Each request runs in a savepoint that is rolled back, so one
request never prepares the next.

- anonymous: sent to the login page (or 404/405); never served partner pages;
- the Laporan sub-user: 403 on every view declaring a menu right it lacks;
- the outsider: 404 on every object URL of partner A;
- everyone: never a 500; a refused request (403/404/405, or anonymous) leaves every table as
  it was; and fields no form has (partner, is_staff, is_owner, balance, status…) posted with a
  page's own form values change nothing anywhere.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from portal.lib.access import Level, Menu, has_right
from portal.lib.navigation import SIDEBAR
from usermgmt.tests import sweep

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405}
LOGIN = reverse("accounts:login")


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return sweep.world_build()


def _client(world, persona) -> Client:
    client = Client(raise_request_exception=False)
    user = getattr(world, persona, None)
    if user is not None:
        client.force_login(user)
    return client


def _lands_on_login(client: Client, response) -> bool:
    """Follows up to three redirects (a RedirectView to a protected page, say)."""
    for _hop in range(3):
        if response.status_code not in (301, 302):
            return False
        location = response["Location"]
        if location.split("?", 1)[0] == LOGIN:
            return True
        response = client.get(location)
    return False


def _holds(user, access) -> bool:
    menu, level = access
    return has_right(user, Menu(menu), Level(level))


def _request(world, persona, route, method, url):
    """One request in a rolled-back savepoint: (response, refused-side-effects,
    protected-changes, anonymous-landed-on-login)."""
    client = _client(world, persona)
    data = sweep.extra_fields(world)
    if method == "post" and persona == "owner":
        page = client.get(url)
        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
            data.update(sweep.form_values(page.content.decode()))
        client = _client(world, persona)
    user = getattr(world, persona, None)
    with transaction.atomic():
        counts, state = sweep.row_counts(), sweep.protected_state()
        response = (
            getattr(client, method)(url, data) if method == "post" else client.get(url)
        )
        landed = _lands_on_login(client, response) if persona == "anonymous" else False
        refused = response.status_code in REFUSED or persona == "anonymous"
        side_effects = []
        if refused:
            after = sweep.row_counts()
            side_effects = [
                f"{label}: {counts[label]} -> {after[label]} rows"
                for label in counts
                if counts[label] != after[label]
            ]
        changes = sweep.protected_changes(
            state,
            sweep.protected_state(),
            own_partner_id=user.partner_id if user is not None else None,
            balance_may_change=route.name in sweep.BALANCE_CHANGING and not refused,
        )
        transaction.set_rollback(True)
    return response, side_effects, changes, landed


def _owner_status(world, route, method, url) -> int:
    response, *_rest = _request(world, "owner", route, method, url)
    return response.status_code


def _check(world, persona, route, method) -> list[str]:
    url, real = sweep.url_for(route, world)
    response, side_effects, changes, landed = _request(
        world, persona, route, method, url
    )
    status = response.status_code
    where = f"{persona} {method.upper()} {url} ({route.name}) -> {status}"
    problems = [f"{where}: {change}" for change in changes]
    problems += [f"{where}: refused but changed {effect}" for effect in side_effects]
    if status >= 500:
        return [*problems, f"{where}: server error"]
    is_object = bool(route.int_kwargs)

    if persona == "anonymous" and not route.is_public:
        if not (landed or status in (404, 405)):
            problems.append(f"{where}: served to an anonymous visitor")
    elif (
        persona == "laporan"
        and route.access
        and not _holds(world.laporan, route.access)
    ):
        if status != 403 and not (
            status == 405 and _owner_status(world, route, method, url) == 405
        ):
            problems.append(f"{where}: expected 403 (needs {route.access})")
    elif persona == "outsider" and is_object and real and not route.is_public:
        if status != 404 and not (
            status == 405 and _owner_status(world, route, method, url) == 405
        ):
            problems.append(f"{where}: another partner's object was not a 404")
    elif persona == "owner" and is_object and real and method == "get":
        if status == 404:
            problems.append(f"{where}: the sweep's object is not the owner's (fix it)")
    return problems


@pytest.mark.parametrize("persona", ["anonymous", "laporan", "outsider", "owner"])
def test_every_portal_url_answers_each_persona_safely(world, persona):
    problems = []
    for route in sweep.portal_routes():
        for method in ("get", "post"):
            problems += _check(world, persona, route, method)

    assert not problems, "\n".join(problems)


def test_the_sweep_covers_the_portal(world):
    """The walk finds the apps' URLs, and every object URL points at a real object of the
    owner's partner (a new object URL needs an entry in sweep.OBJECT_URLS)."""
    routes = sweep.portal_routes()
    names = {route.name for route in routes}
    assert {
        "portal:dashboard",
        "usermgmt:list",
        "usermgmt:edit",
        "accounts:login",
    } <= names
    assert not any(route.route.startswith("api/") for route in routes)

    unmapped = [
        route.name
        for route in routes
        if route.int_kwargs and not sweep.url_for(route, world)[1]
    ]
    assert not world.failures, world.failures
    assert not unmapped, f"object URLs without an object of the partner: {unmapped}"


def test_the_sub_user_sees_only_the_menus_it_holds(world):
    client = _client(world, "laporan")

    response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 200
    labels = [item.label for item in response.context["sidebar"]]
    expected = [
        str(menu.label)
        for menu, url_name, _icon in SIDEBAR
        if has_right(world.laporan, menu) and str(menu.label) in labels
    ]
    assert [str(label) for label in labels] == expected
    assert str(Menu.USERMGMT.label) not in labels
    assert str(Menu.PRODUK.label) not in labels


def test_the_form_reader_takes_what_a_browser_would_submit():
    html = """
    <form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="name" value="Siti"><input type="radio" name="r" value="a">
      <input type="radio" name="r" value="b" checked><input type="checkbox" name="c">
      <select name="s"><option value="1">1</option><option value="2" selected>2</option>
      </select><select name="t"><option value="x">x</option></select>
      <textarea name="note">halo</textarea><input type="file" name="f">
      <button type="submit" name="go">Simpan</button></form>
    <form method="get"><input name="q" value="cari"></form>
    """

    assert sweep.form_values(html) == {
        "name": "Siti",
        "r": "b",
        "s": "2",
        "t": "x",
        "note": "halo",
    }
