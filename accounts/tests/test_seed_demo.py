"""seed_demo loads the demo data for `make run`: twice without harm, never without DEBUG."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_demo import REVIEWER_PASSWORD, REVIEWER_USERNAME
from accounts.models import User

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_runs_twice_and_leaves_one_reviewer(settings):
    settings.DEBUG = True

    first = _seed()
    users_after_first = User.objects.count()
    second = _seed()

    assert "Data demo siap." in first
    assert "Data demo siap." in second
    assert User.objects.count() == users_after_first
    reviewer = User.objects.get(username=REVIEWER_USERNAME)
    assert reviewer.is_staff and reviewer.is_superuser
    assert reviewer.check_password(REVIEWER_PASSWORD)


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG harus aktif"):
        _seed()

    assert not User.objects.exists()
