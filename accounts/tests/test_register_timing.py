"""A taken phone number costs a registration as much work as a new one, so that the time of
the answer does not tell whether it is registered."""

import statistics
import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import REGISTRATION

pytestmark = pytest.mark.django_db

RUNS = 7


def test_a_taken_phone_number_answers_in_about_the_time_of_a_new_one(settings, send):
    # The production hasher: its cost is what a quick answer would leave out.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(phone="+6281211112222", email="pemilik@lama.test")
    durations = {"new": [], "taken": []}
    # Interleaved, so that a busy moment of the machine slows both kinds alike.
    for run in range(RUNS):
        for kind, phone in (("new", f"0813-5555-{run:04d}"), ("taken", "081211112222")):
            data = {**REGISTRATION, "phone": phone, "email": f"{kind}{run}@mitra.test"}
            started = time.perf_counter()
            response = send(Client().post, reverse("accounts:register"), data)
            durations[kind].append(time.perf_counter() - started)
            assert response.status_code == 302

    assert User.objects.count() == 1 + RUNS
    new, taken = (statistics.median(durations[k]) for k in ("new", "taken"))
    assert max(new, taken) / min(new, taken) < 3, durations
