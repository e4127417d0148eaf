"""Open API calls skip Django's browser middlewares; the portal's pages keep them."""

import json

import pytest
from django.http import JsonResponse

from portal.middleware import (
    AuthenticationMiddleware,
    MessageMiddleware,
    SessionMiddleware,
    is_open_api,
)


@pytest.mark.parametrize(
    ("path", "api"),
    [
        ("/auth/Sign-On", True),
        ("/Services/Inquiry", True),
        ("/Services", True),
        ("/Services/", True),
        ("/ping", False),
        ("/transaksi/", False),
        ("/authx/Sign-On", False),
        ("/koneksi/Services/", False),
        ("/", False),
    ],
)
def test_which_paths_are_the_open_api(rf, path, api):
    assert is_open_api(rf.get(path)) is api


def _seen(request) -> dict:
    """Session → login → messages, as in MIDDLEWARE; the view answers what it was given."""

    def view(request):
        return JsonResponse(
            {name: hasattr(request, name) for name in ("session", "user", "_messages")}
        )

    chain = SessionMiddleware(AuthenticationMiddleware(MessageMiddleware(view)))
    response = chain(request)
    return {"seen": json.loads(response.content), "vary": response.get("Vary", "")}


def test_an_api_call_gets_no_session_user_or_messages(rf):
    answer = _seen(rf.post("/Services/Inquiry"))

    assert answer["seen"] == {"session": False, "user": False, "_messages": False}
    assert "Cookie" not in answer["vary"]


@pytest.mark.django_db
def test_a_portal_page_still_gets_them(rf):
    answer = _seen(rf.get("/transaksi/"))

    assert answer["seen"] == {"session": True, "user": True, "_messages": True}
