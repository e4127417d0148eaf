"""Every partner page fits a 390 px phone: wide tables scroll inside their own box.

The demo partner of seed_demo is the partner with data on every page (transactions, products,
UAT and Live requests, top-ups, IPs, sub-users); the test walks every page reachable by links
from the dashboard, one URL per URL name, and measures the document's width.
"""

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from profiles.demo import ACTIVE, OWNER_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Downloads and actions reached by links, not pages: nothing to measure.
NOT_PAGES = {
    "accounts:logout",
    "billing:transactions_export",
    "billing:mutasi_export",
    "billing:topup_proof_file",
    "docs_content:openapi_json",
    "docs_content:openapi_yaml",
    "docs_content:postman",
    "integration:evidence_download",
    "profiles:document",
    "set_language",
}
LINKS = """() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"""
WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def demo_owner(settings, db):
    """seed_demo's approved partner with data on every page; DEBUG only while seeding."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    return ACTIVE["owner"][0]


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def test_every_partner_page_fits_a_phone(page, live_server, demo_owner):
    page.set_viewport_size(PHONE)
    page.goto("/akun/login/")
    page.fill("input[name=identifier]", demo_owner)
    page.fill("input[name=password]", OWNER_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/dashboard/")

    origin = urlsplit(live_server.url).netloc
    queue, seen, widths = ["/dashboard/"], set(), {}
    while queue:
        path = queue.pop(0)
        name = _url_name(urlsplit(path).path)
        if name is None or name in seen or name in NOT_PAGES:
            continue
        seen.add(name)
        response = page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        widths[path] = page.evaluate(WIDTH)
        for href in page.evaluate(LINKS):
            link = urlsplit(href)
            if link.netloc == origin and not link.path.startswith(
                ("/static/", "/backoffice/")
            ):
                queue.append(link.path + (f"?{link.query}" if link.query else ""))

    too_wide = {path: width for path, width in widths.items() if width > PHONE["width"]}
    assert not too_wide, f"wider than {PHONE['width']} px: {too_wide}"
    # The sweep reached the menus of the manual, the ones that overflowed included.
    assert {
        "portal:dashboard",
        "billing:transactions",
        "integration:live_list",
        "usermgmt:list",
        "usermgmt:edit",
        "products:mine",
        "connections:list",
    } <= seen
