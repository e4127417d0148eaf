"""The portal: the login form, then the dashboard."""

import re
import urllib.parse

from .client import Connection
from .config import PASSWORD, PORTAL_PARTNER_CODE, PORTAL_USERNAME


async def portal_login(connections: list[Connection], seeded: dict) -> None:
    """Log in as a browser does — the login page (its CSRF cookie and the form's token),
    the form posted, the redirect to the dashboard — and give every connection the
    session's cookies (one browser, a few connections)."""
    first = connections[0]
    login = seeded["login_path"]
    status, _headers, page = await first.request("GET", login)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None or "csrftoken" not in first.cookies:
        raise SystemExit(f"portal login page: {status}, no CSRF token")
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token[1].decode(),
            "identifier": PORTAL_USERNAME,
            "password": PASSWORD,
        }
    ).encode()
    origin = f"http://127.0.0.1:{first.port}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + login,
    }
    status, headers, _page = await first.request("POST", login, form, headers)
    if status != 302 or headers.get("location") != seeded["dashboard_path"]:
        raise SystemExit(f"portal login refused: {status} {headers.get('location')}")
    for connection in connections[1:]:
        connection.cookies = dict(first.cookies)


def dashboard_call(seeded: dict):
    path = seeded["dashboard_path"]
    marker = PORTAL_PARTNER_CODE.encode()

    async def dashboard(connection):
        status, _headers, page = await connection.request("GET", path)
        return status == 200 and marker in page, f"{status} {page[:200]!r}"

    return dashboard
