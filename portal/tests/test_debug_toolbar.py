"""django-debug-toolbar is there only while developing (DEBUG on, dev requirements installed),
never in production settings."""

from portal.tests.test_deploy_settings import PRODUCTION, _manage

SHOW = (
    "from django.conf import settings as s; "
    "print('debug_toolbar' in s.INSTALLED_APPS, "
    "'debug_toolbar.middleware.DebugToolbarMiddleware' in s.MIDDLEWARE)"
)
PAGE = (
    "from django.test import Client; "
    "response = Client().get('/akun/login/', HTTP_HOST='127.0.0.1'); "
    "print(response.status_code, 'djDebug' in response.content.decode())"
)


def test_the_toolbar_shows_on_pages_while_developing():
    assert _manage("shell", "--no-imports", "-c", SHOW, DEBUG="on").stdout.split() == [
        "True",
        "True",
    ]
    page = _manage(
        "shell",
        "--no-imports",
        "-c",
        PAGE,
        DEBUG="on",
        DATABASE_URL="sqlite://:memory:",
    )
    assert page.stdout.split() == ["200", "True"], page.stderr


def test_production_has_no_toolbar():
    result = _manage("shell", "--no-imports", "-c", SHOW, **PRODUCTION)
    assert result.stdout.split() == ["False", "False"], result.stderr
