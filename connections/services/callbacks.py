"""Writes of callbacks: the URL and secret per environment, queueing a callback, recording each
attempt, resending, and the portal's "Kirim tes".

Every callback is a ``CallbackDelivery`` whose body is fixed when it is queued; each POST is a
``CallbackAttempt``. An attempt always signs with the endpoint's *current* secret and goes to
its *current* URL, so a regenerated secret or a corrected URL takes effect at once, also for
callbacks still being retried. Rules a partner can break raise ``CallbackError``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from connections import callback_http
from connections.callback_url import (
    CallbackUrlError,
    clean_callback_url,
    private_targets_allowed,
)
from connections.models import CallbackAttempt, CallbackDelivery, CallbackEndpoint
from portal.lib.audit import audit_record
from portal.lib.environments import Environment
from portal.lib.tasks import task_enqueue

TEST_CUSTOMER_ID = "081234567890"
# A callback still queued this long after its attempt was due has lost its task on the way to
# a worker (Redis flushed or restarted without its data, a worker killed in the middle):
# ``callbacks_requeue_lost`` queues it again.
LOST_AFTER = timedelta(minutes=10)
LOST_BATCH = 500


class CallbackError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _environment(environment: str) -> Environment:
    try:
        return Environment(environment)
    except ValueError:
        raise CallbackError(
            _("Pilih environment Development atau Production.")
        ) from None


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def _locked_endpoint(partner: Partner, environment: str) -> CallbackEndpoint | None:
    return (
        CallbackEndpoint.objects.select_for_update()
        .filter(partner=partner, environment=environment)
        .first()
    )


def callback_endpoint_save(
    *, partner: Partner, environment: str, url: str, actor, ip: str | None = None
) -> CallbackEndpoint:
    """Set (or clear, with an empty ``url``) the callback URL of ``environment``.

    The first save creates the endpoint with a fresh secret.
    """
    env = _environment(environment)
    try:
        cleaned = clean_callback_url(url, env)
    except CallbackUrlError as exc:
        raise CallbackError(exc.message, field="url") from None
    with transaction.atomic():
        # The partner row serialises the first save of two concurrent requests.
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        endpoint = _locked_endpoint(partner, env)
        before = None
        if endpoint is None:
            endpoint = CallbackEndpoint(
                partner=partner,
                environment=env,
                secret=_new_secret(),
                secret_created_at=timezone.now(),
            )
        else:
            if endpoint.url == cleaned:
                return endpoint
            before = {"environment": env.value, "url": endpoint.url}
        endpoint.url = cleaned
        endpoint.save()
        audit_record(
            action="callback.url_updated",
            actor=actor,
            partner=partner,
            subject=endpoint,
            before=before,
            after={"environment": env.value, "url": cleaned},
            ip=ip,
        )
    return endpoint


def callback_secret_regenerate(
    *, partner: Partner, environment: str, actor, ip: str | None = None
) -> CallbackEndpoint:
    """Replace the secret of ``environment``; the old one is never used again, also not for
    callbacks that are still being retried."""
    env = _environment(environment)
    with transaction.atomic():
        endpoint = _locked_endpoint(partner, env)
        if endpoint is None:
            raise CallbackError(
                _("Simpan URL callback %(env)s terlebih dahulu.") % {"env": env.label}
            )
        endpoint.secret = _new_secret()
        endpoint.secret_created_at = timezone.now()
        endpoint.save(update_fields=["secret", "secret_created_at", "updated_at"])
        audit_record(
            action="callback.secret_regenerated",
            actor=actor,
            partner=partner,
            subject=endpoint,
            after={
                "environment": env.value,
                "secret_created_at": endpoint.secret_created_at,
            },
            ip=ip,
        )
    return endpoint


def _queue(delivery: CallbackDelivery, *, retry: bool) -> None:
    # With the broker down the delivery stays due; callbacks_requeue_lost queues it again.
    task_enqueue("connections.tasks.callback_deliver", delivery.pk, retry=retry)


def callback_enqueue(
    *,
    partner: Partner,
    environment: str,
    payload: dict,
    reference_id: str,
    transaction_id: int | None = None,
) -> CallbackDelivery | None:
    """Queue a callback of a transaction that reached its final state.

    ``payload`` is ``{"merchantID", "productID", "customerID", "referenceID", "rc",
    "description", "data"}``; it is sent as JSON, signed with the partner's secret, retried
    with back-off. Returns None (and queues nothing) when ``environment`` has no callback URL.
    The task is queued when the surrounding transaction commits.
    """
    env = _environment(environment)
    if not isinstance(payload, dict):
        raise CallbackError(_("Payload callback harus berupa objek JSON."))
    with transaction.atomic():
        endpoint = (
            CallbackEndpoint.objects.filter(partner=partner, environment=env)
            .exclude(url="")
            .first()
        )
        if endpoint is None:
            return None
        delivery = CallbackDelivery.objects.create(
            partner=partner,
            environment=env,
            url=endpoint.url,
            payload=payload,
            body=callback_http.body_text(payload),
            reference_id=str(reference_id)[:40],
            transaction_id=transaction_id,
            next_attempt_at=timezone.now(),
        )
        _queue(delivery, retry=True)
    return delivery


def _outcome_for(delivery: CallbackDelivery) -> tuple[str, callback_http.Outcome, bool]:
    """POST the delivery once: (url used, outcome, may it be retried?). No database writes."""
    endpoint = CallbackEndpoint.objects.filter(
        partner_id=delivery.partner_id, environment=delivery.environment
    ).first()
    if endpoint is None or not endpoint.url:
        message = _("URL callback %(env)s sudah dihapus; callback tidak dikirim.") % {
            "env": Environment(delivery.environment).label
        }
        return delivery.url, callback_http.Outcome(None, "", message, 0), False
    refuse_private = (
        delivery.environment == Environment.PRODUCTION or not private_targets_allowed()
    )
    body = delivery.body.encode()
    try:
        outcome = callback_http.post(
            url=endpoint.url,
            body=body,
            signature=callback_http.sign(body, endpoint.secret),
            delivery_id=delivery.pk,
            refuse_private=refuse_private,
        )
    except callback_http.TargetRefused as exc:
        return endpoint.url, callback_http.Outcome(None, "", exc.message, 0), False
    return endpoint.url, outcome, True


def callback_attempt(
    *, delivery: CallbackDelivery, retry_in: int | None = None
) -> CallbackAttempt:
    """POST ``delivery`` once and record the attempt.

    2xx marks it delivered. Otherwise it stays queued for another attempt in ``retry_in``
    seconds, or, when ``retry_in`` is None (last attempt, a resend, a test), it is failed.
    The HTTP call is made outside any database transaction. ``attempt.delivery`` is the
    updated delivery.
    """
    started = timezone.now()
    url, outcome, retryable = _outcome_for(delivery)
    with transaction.atomic():
        locked = CallbackDelivery.objects.select_for_update().get(pk=delivery.pk)
        attempt = CallbackAttempt.objects.create(
            delivery=locked,
            at=started,
            url=url,
            http_status=outcome.http_status,
            response_excerpt=outcome.response_excerpt,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        locked.attempts += 1
        now = timezone.now()
        if outcome.ok:
            locked.status = CallbackDelivery.Status.DELIVERED
            locked.delivered_at = now
            locked.next_attempt_at = None
        elif retry_in is not None and retryable:
            locked.status = CallbackDelivery.Status.QUEUED
            locked.next_attempt_at = now + timedelta(seconds=retry_in)
        else:
            locked.status = CallbackDelivery.Status.FAILED
            locked.next_attempt_at = None
        locked.save(
            update_fields=["attempts", "status", "delivered_at", "next_attempt_at"]
        )
    attempt.delivery = locked
    return attempt


def callback_resend(
    *, delivery: CallbackDelivery, actor, ip: str | None = None
) -> CallbackDelivery:
    """Queue one more attempt of a delivered or failed callback (same body, current URL and
    secret). A callback that is still queued is refused: its next attempt is on its way."""
    with transaction.atomic():
        locked = CallbackDelivery.objects.select_for_update().get(pk=delivery.pk)
        if not locked.can_resend:
            raise CallbackError(
                _("Callback ini masih dalam antrean pengiriman; tunggu hasilnya.")
            )
        before = {"status": locked.status, "attempts": locked.attempts}
        locked.status = CallbackDelivery.Status.QUEUED
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["status", "next_attempt_at"])
        audit_record(
            action="callback.resent",
            actor=actor,
            partner=locked.partner,
            subject=locked,
            before=before,
            after={"status": locked.status},
            ip=ip,
        )
        _queue(locked, retry=False)
    return locked


def callbacks_requeue_lost(*, now=None) -> int:
    """Queue again the callbacks whose task was lost (see ``LOST_AFTER``); returns how
    many. Their next attempt is due now, so that the next sweep leaves them alone while the
    new task is on its way; the task counts the attempts already made against the limit.
    Test callbacks are not sent again. Each one is audited."""
    now = now or timezone.now()
    with transaction.atomic():
        lost = list(
            CallbackDelivery.objects.select_related("partner")
            .select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=CallbackDelivery.Status.QUEUED,
                is_test=False,
                next_attempt_at__lt=now - LOST_AFTER,
            )
            .order_by("next_attempt_at")[:LOST_BATCH]
        )
        for delivery in lost:
            due = delivery.next_attempt_at
            delivery.next_attempt_at = now
            audit_record(
                action="callback.requeued",
                partner=delivery.partner,
                subject=delivery,
                before={"next_attempt_at": due},
                after={"next_attempt_at": now},
            )
            _queue(delivery, retry=True)
        CallbackDelivery.objects.bulk_update(lost, ["next_attempt_at"])
    return len(lost)


def _test_payload(partner: Partner, environment: Environment) -> tuple[dict, str]:
    from profiles.selectors import partner_credentials

    merchant_id = next(
        (
            c.merchant_id
            for c in partner_credentials(partner)
            if c.environment == environment
        ),
        partner.code,
    )
    reference_id = "TES" + timezone.localtime().strftime("%y%m%d%H%M%S")
    payload = {
        "merchantID": merchant_id,
        "productID": "TES",
        "customerID": TEST_CUSTOMER_ID,
        "referenceID": reference_id,
        "rc": "00",
        "description": "Tes callback dari portal Web Open API",
        "data": {
            "idPelanggan": TEST_CUSTOMER_ID,
            "nama": "TES CALLBACK",
            "tagihan": "000000010000",
            "admin": "000000000000",
            "total": "000000010000",
            "status": "SUKSES",
            "test": True,
        },
    }
    return payload, reference_id


def callback_send_test(
    *, partner: Partner, environment: str, actor, ip: str | None = None
) -> CallbackAttempt:
    """Send a signed test callback now (one attempt, no retries) and return what came back.
    The test stays in the list of callbacks, marked as a test."""
    env = _environment(environment)
    with transaction.atomic():
        endpoint = (
            CallbackEndpoint.objects.filter(partner=partner, environment=env)
            .exclude(url="")
            .first()
        )
        if endpoint is None:
            raise CallbackError(
                _("Simpan URL callback %(env)s terlebih dahulu.") % {"env": env.label}
            )
        payload, reference_id = _test_payload(partner, env)
        delivery = CallbackDelivery.objects.create(
            partner=partner,
            environment=env,
            url=endpoint.url,
            payload=payload,
            body=callback_http.body_text(payload),
            reference_id=reference_id,
            is_test=True,
            next_attempt_at=timezone.now(),
        )
        audit_record(
            action="callback.test_sent",
            actor=actor,
            partner=partner,
            subject=delivery,
            after={"environment": env.value, "url": endpoint.url},
            ip=ip,
        )
    return callback_attempt(delivery=delivery, retry_in=None)
