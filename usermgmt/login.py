"""The step between a correct password and a session, for users with two-factor login.

``accounts.views.login`` calls ``two_factor_login_begin`` once the password is verified. When
the user has two-factor login (or the partner requires it and the user has yet to set it up),
nobody is logged in yet: the session remembers the pending user for a few minutes and the
browser goes to ``usermgmt:two_factor_login``, which logs in only after a valid code.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare

from accounts.models import User
from usermgmt import selectors
from usermgmt.models import TwoFactor

PENDING = "usermgmt.two_factor_pending"
PENDING_SECONDS = 10 * 60
# Wrong codes allowed in one login before the password must be typed again.
SESSION_FAILURE_LIMIT = 5


def two_factor_needed(user: User) -> bool:
    return TwoFactor.objects.filter(user=user).exists() or (
        selectors.two_factor_required(partner_id=user.partner_id)
    )


def two_factor_login_begin(request, *, user: User, next_url: str):
    """A redirect to the code step when ``user`` needs one, else None (log in as usual).
    ``next_url`` must already be checked to be a page of this site."""
    if not two_factor_needed(user):
        return None
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "at": time.time(),
        "failures": 0,
        "next": next_url,
        "hash": user.get_session_auth_hash(),
        "secret": None,
    }
    return redirect("usermgmt:two_factor_login")


def pending_forget(request) -> None:
    request.session.pop(PENDING, None)


def pending_get(request) -> tuple[User, dict] | None:
    """The user waiting for its code, while the wait has not expired and its password and
    status are what they were when it typed the password."""
    data = request.session.get(PENDING)
    if not data:
        return None
    if time.time() - data.get("at", 0) > PENDING_SECONDS:
        pending_forget(request)
        return None
    user = (
        User.objects.select_related("partner")
        .filter(pk=data.get("user"), is_active=True)
        .first()
    )
    if user is None or not constant_time_compare(
        user.get_session_auth_hash(), data.get("hash", "")
    ):
        pending_forget(request)
        return None
    return user, data


def pending_update(request, data: dict, **changes) -> dict:
    data = {**data, **changes}
    request.session[PENDING] = data
    return data


def pending_failure(request, data: dict) -> int:
    """Count a wrong code; returns the count so far (the caller ends the login at the
    limit)."""
    data = pending_update(request, data, failures=data.get("failures", 0) + 1)
    return data["failures"]


def pending_complete(request, user: User, data: dict) -> str:
    """Log ``user`` in (a new session key) and return where it wanted to go."""
    pending_forget(request)
    auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return data.get("next") or "/"
