"""Staff suspend a partner's account and reactivate it."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from portal.lib.audit import audit_record
from profiles import selectors
from profiles.services.common import ProfileError, owner_email, partner_status_set


def partner_suspend(
    *, partner: Partner, actor: User, reason: str, ip: str | None = None
) -> Partner:
    """Staff put a partner's account on hold (Status Akun "Dinonaktifkan"); its Open API
    credentials stop working (the Open API gateway refuses a suspended partner) until it is
    reactivated."""
    reason = (reason or "").strip()
    if not reason:
        raise ProfileError(_("Alasan penonaktifan wajib diisi."))
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.status == Partner.Status.SUSPENDED:
            raise ProfileError(
                _("%(partner)s sudah dinonaktifkan.") % {"partner": partner}
            )
        partner_status_set(
            partner=partner, status=Partner.Status.SUSPENDED, actor=actor, ip=ip
        )
        audit_record(
            action="partner.suspended",
            actor=actor,
            partner=partner,
            subject=partner,
            after={"reason": reason},
            ip=ip,
        )
        owner_email(partner, "profile_suspended", {"reason": reason})
    return partner


def partner_reactivate(
    *, partner: Partner, actor: User, ip: str | None = None
) -> Partner:
    """Lift a suspension: the account returns to the status its profile has earned."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.status != Partner.Status.SUSPENDED:
            raise ProfileError(
                _("%(partner)s tidak sedang dinonaktifkan.") % {"partner": partner}
            )
        status = selectors.partner_status_earned(partner)
        partner_status_set(partner=partner, status=status, actor=actor, ip=ip)
        audit_record(
            action="partner.reactivated",
            actor=actor,
            partner=partner,
            subject=partner,
            after={"status": status},
            ip=ip,
        )
        owner_email(
            partner,
            "profile_reactivated",
            {
                "status_label": partner.get_status_display(),
                "portal_url": settings.SITE_URL + reverse("portal:dashboard"),
            },
        )
    return partner
