"""Content-Security-Policy: every answer carries it (an Open API answer, JSON, a fixed policy
that lets nothing load), no template holds an inline script or
an ``on…=`` handler (the browser would refuse them), and in Chromium the pages that used to
have them still work without a single CSP violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from docs_content.tests.factories import CredentialFactory, approve_local_connections
from openapi.urls import API_PREFIXES
from portal.middleware import API_CONTENT_SECURITY_POLICY

ROOT = Path(settings.BASE_DIR)
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def _directives(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def _plain_routes(resolver=None, prefix=""):
    """Every route of the URLconf that needs no path parameter."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            yield from _plain_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route


@pytest.mark.parametrize("who", ["anonymous", "owner", "staff"])
def test_every_page_answers_with_the_policy(client, owner, staff, who):
    if who != "anonymous":
        client.force_login(owner if who == "owner" else staff)
    routes = sorted(set(_plain_routes()))
    assert "/dokumentasi/" in routes and f"/{settings.ADMIN_URL}" in routes

    missing = []
    for route in routes:
        response = client.get(route)
        if route.split("/")[1] in API_PREFIXES:
            if response.get("Content-Security-Policy") != API_CONTENT_SECURITY_POLICY:
                missing.append((route, response.status_code))
        elif "Content-Security-Policy" not in response or not POLICY <= _directives(
            response
        ):
            missing.append((route, response.status_code))

    assert missing == []


def test_the_policy_lets_no_inline_script_in(client):
    directives = _directives(client.get("/akun/login/"))

    script = next(d for d in directives if d.startswith("script-src "))
    assert "unsafe" not in script
    assert not any(d.startswith("script-src-attr") for d in directives)


# What the browser would refuse under ``script-src 'self'`` (and ``style-src-elem``):
# a <script> without src= that is not a JSON data block, an on…= handler attribute,
# a javascript: URL, htmx's hx-on, and <style> blocks.
INLINE = [
    (
        "inline <script>",
        re.compile(
            r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")",
            re.I,
        ),
    ),
    ("on…= handler", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
    ("hx-on handler", re.compile(r"\shx-on", re.I)),
    ("<style> block", re.compile(r"<style\b", re.I)),
]
DJANGO_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)


def _page_templates():
    """The templates of this project that render pages (emails are not pages)."""
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", "node_modules", "staticfiles"):
            continue
        if "emails" in relative.parts:
            continue
        yield relative, path


def test_no_template_holds_an_inline_script_or_handler():
    templates = list(_page_templates())
    assert len(templates) > 50

    found = [
        f"{relative}: {what}"
        for relative, path in templates
        for what, pattern in INLINE
        if pattern.search(DJANGO_COMMENT.sub("", path.read_text()))
    ]

    assert found == []


def test_the_check_finds_what_it_looks_for():
    samples = {
        "inline <script>": "<script>alert(1)</script>",
        "on…= handler": '<button type="button"\n  onclick="go()">',
        "javascript: URL": '<a href="javascript:go()">',
        "hx-on handler": '<div hx-on:click="go()">',
        "<style> block": "<style>p{}</style>",
    }
    allowed = [
        '<script src="/static/js/portal.js"></script>',
        '<script id="roles" type="application/json">{}</script>',
        '<a data-online="1" href="/">',
    ]

    for what, pattern in INLINE:
        assert pattern.search(samples[what]), what
        assert not any(pattern.search(text) for text in allowed), what


# -- in Chromium ---------------------------------------------------------------------

CSP_WORDS = ("Content Security Policy", "Content-Security-Policy")


@pytest.fixture
def watched(page):
    """The page, with every console message and script error it produced."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    page.messages = messages
    return page


def _violations(page) -> list[str]:
    return [
        text
        for text in page.messages
        if any(word in text for word in CSP_WORDS) or text.startswith("pageerror")
    ]


def _login(page, username, password, path="/akun/login/"):
    page.goto(path)
    page.fill("input[name=identifier]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.fixture
def reader(watched, owner, password, partner):
    call_command("load_catalogue", verbosity=0)
    CredentialFactory(partner=partner)
    approve_local_connections(partner)
    _login(watched, owner.username, password)
    return watched


@pytest.mark.browser
def test_login_and_registration_run_without_violations(watched):
    watched.goto("/akun/login/")
    watched.goto("/akun/daftar/")
    company = watched.locator("[data-company-field]")
    watched.locator("input[name=kind][value=pribadi]").check()
    assert company.is_hidden()
    watched.locator("input[name=kind][value=perusahaan]").check()
    assert company.is_visible()

    assert _violations(watched) == []


@pytest.mark.browser
def test_docs_copy_print_tabs_and_catalogue_work_without_violations(reader):
    reader.context.grant_permissions(["clipboard-read", "clipboard-write"])
    reader.goto("/dokumentasi/sign-on/")
    copy = reader.locator(".docs-copy").first
    assert copy.inner_text() == "Salin"
    copy.click()
    reader.locator(".docs-copy", has_text="Tersalin").first.wait_for()
    copied = reader.evaluate("navigator.clipboard.readText()")
    assert (
        copied.strip()
        and copied in reader.locator(".codehilite pre").first.inner_text()
    )

    reader.get_by_role("tab", name="Python").click()
    assert reader.locator('[data-sample="python"]').first.is_visible()

    # "Cetak" opens the print dialog; the page counts that it was asked for.
    reader.evaluate("window.print = () => { window.printed = true; }")
    reader.locator("[data-docs-print]").click()
    assert reader.evaluate("window.printed") is True

    reader.goto("/dokumentasi/daftar-produk/")
    pdam = reader.locator('[data-category="pdam"]')
    pdam.click()
    reader.locator('[data-products="pdam"]').wait_for()
    assert "active" in pdam.get_attribute("class")
    assert reader.locator("[data-catalogue] .active").count() == 1

    assert _violations(reader) == []


@pytest.mark.browser
def test_choosing_products_with_pilih_semua_works_without_violations(reader):
    reader.goto("/produk/")
    reader.select_option("#id_category", "listrik")
    boxes = reader.locator("#available input[name=products]:not(:disabled)")
    boxes.first.wait_for()
    reader.locator("[data-check-all]").check()

    assert boxes.count() > 1
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert _violations(reader) == []


@pytest.mark.browser
def test_the_back_office_works_under_the_policy(watched, staff, password, partner):
    admin = f"/{settings.ADMIN_URL}"
    watched.goto(admin)
    watched.fill("input[name=username]", staff.username)
    watched.fill("input[name=password]", password)
    watched.locator("input[type=submit]").click()
    watched.wait_for_load_state()
    watched.goto(f"{admin}accounts/partner/")
    assert watched.locator("#changelist").is_visible()
    # The change form runs the admin's own scripts (related-object links, date shortcuts).
    watched.goto(f"{admin}accounts/partner/{partner.pk}/change/")
    watched.locator("#partner_form").wait_for()

    assert _violations(watched) == []
