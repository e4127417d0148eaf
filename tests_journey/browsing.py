"""Waiting in the browser with failure messages that say where the journey stopped and what
the page said instead."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

WAIT_MS = 45_000
# What a page says when something went wrong: messages, form errors, admin errors.
PAGE_NOTES = (
    ".alert, .invalid-feedback, .errorlist, .errornote, .messagelist li, "
    ".modal.show .modal-body"
)


def page_notes(page) -> str:
    try:
        notes = page.locator(PAGE_NOTES).all_inner_texts()
        heading = page.locator("h1").first.inner_text(timeout=1_000)
    except PlaywrightError:
        return "(the page could not be read)"
    text = " | ".join(" ".join(n.split()) for n in notes if n.strip())
    return f"heading {heading!r}; notes: {text[:800] or '(none)'}"


def see(page, text: str | re.Pattern, *, within=None, exact: bool = False):
    """Wait until ``text`` is visible (in ``within`` if given); return its locator."""
    scope = within if within is not None else page
    locator = scope.get_by_text(text, exact=exact).first
    try:
        locator.wait_for(state="visible", timeout=WAIT_MS)
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"{text!r} did not appear on {page.url} within {WAIT_MS // 1000} s; "
            f"{page_notes(page)}"
        ) from None
    return locator


def wait_url(page, pattern: str | re.Pattern) -> None:
    try:
        page.wait_for_url(pattern, timeout=WAIT_MS)
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"expected to reach {getattr(pattern, 'pattern', pattern)}, "
            f"still on {page.url}; {page_notes(page)}"
        ) from None


def after_htmx_swap(page, action) -> None:
    """Run ``action`` and wait until the htmx request it starts has settled its content."""
    page.evaluate(
        "window.__journeySwapped = false;"
        "document.body.addEventListener('htmx:afterSettle',"
        " () => { window.__journeySwapped = true; }, {once: true});"
    )
    action()
    try:
        # A function, not a bare expression: the page's CSP forbids eval, which Playwright
        # uses to poll an expression.
        page.wait_for_function(
            "() => window.__journeySwapped === true", timeout=WAIT_MS
        )
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"the htmx update on {page.url} did not finish; {page_notes(page)}"
        ) from None


def confirm_yes(page) -> None:
    """Answer Ya in the confirmation dialog of a ``data-confirm`` form."""
    modal = page.locator("#confirmModal")
    modal.wait_for(state="visible", timeout=WAIT_MS)
    submit(page, modal.get_by_role("button", name="Ya", exact=True))


def menu(page, label: str) -> None:
    """Open a page through the sidebar, as a user does."""
    # The icon's glyph comes first in the name; "Koneksi & Dokumentasi" answers "Koneksi".
    name = re.compile(rf"^\W*{re.escape(label)}\b")
    page.locator("nav.sidebar").get_by_role("link", name=name).click()
    page.wait_for_load_state()


def submit(page, control) -> None:
    """Click ``control`` (a submit button, or Ya of a confirmation) and wait for the page
    the server answers with, so that a message of the previous page is never taken for the
    answer."""
    try:
        with page.expect_navigation(timeout=WAIT_MS):
            control.click()
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"no new page after submitting on {page.url}; {page_notes(page)}"
        ) from None
