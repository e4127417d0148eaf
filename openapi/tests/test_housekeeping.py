"""Old log rows, ended sessions and stale inquiries are pruned; what is still useful stays."""

import datetime

import pytest
from django.utils import timezone

from openapi.models import ApiLog, Inquiry, SignOnCounter, SignOnSession
from openapi.services.housekeeping import openapi_prune
from openapi.tasks import prune

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _log(partner, age):
    log = ApiLog.objects.create(
        partner=partner, method="POST", path="/auth/Sign-On", http_status=200
    )
    ApiLog.objects.filter(pk=log.pk).update(created_at=timezone.now() - age)


def test_prune(partner, dev_credential, settings):
    settings.API_LOG_RETENTION_DAYS = 30
    _log(partner, 31 * DAY)
    _log(partner, 29 * DAY)
    now = timezone.now()
    SignOnSession.objects.create(
        credential=dev_credential, session_id="a" * 32, expires_at=now - 2 * DAY
    )
    SignOnSession.objects.create(
        credential=dev_credential, session_id="b" * 32, expires_at=now + DAY
    )
    SignOnCounter.objects.create(
        credential=dev_credential, day=timezone.localdate() - 40 * DAY
    )
    SignOnCounter.objects.create(credential=dev_credential, day=timezone.localdate())
    for ref, age in (("OLD", 8 * DAY), ("NEW", DAY)):
        row = Inquiry.objects.create(
            partner=partner,
            environment="development",
            reference_id=ref,
            product_code="100301",
            customer_id="530000000001",
            tagihan=1,
            admin=0,
            total=1,
        )
        Inquiry.objects.filter(pk=row.pk).update(created_at=now - age)

    assert openapi_prune() == {
        "api_logs": 1,
        "sessions": 1,
        "inquiries": 1,
        "counters": 1,
    }
    assert ApiLog.objects.count() == 1
    assert list(SignOnSession.objects.values_list("session_id", flat=True)) == [
        "b" * 32
    ]
    assert list(Inquiry.objects.values_list("reference_id", flat=True)) == ["NEW"]
    assert prune.delay().get() == {
        "api_logs": 0,
        "sessions": 0,
        "inquiries": 0,
        "counters": 0,
    }
