"""Reads of Manajemen User."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Partner, User
from usermgmt.models import TeamSettings, TwoFactor


def team_users(*, partner: Partner) -> QuerySet[User]:
    """The partner's users as the list shows them: the owner first, deleted ones hidden."""
    return (
        User.objects.filter(partner=partner)
        .exclude(sub_user__deleted_at__isnull=False)
        .select_related("two_factor")
        .order_by("-is_owner", "date_joined", "pk")
    )


def team_user_get(*, partner: Partner, pk: int) -> User | None:
    return team_users(partner=partner).filter(pk=pk).first()


def two_factor_required(*, partner_id: int | None) -> bool:
    if partner_id is None:
        return False
    return TeamSettings.objects.filter(
        partner_id=partner_id, two_factor_required=True
    ).exists()


def two_factor_of(*, user: User) -> TwoFactor | None:
    return TwoFactor.objects.filter(user=user).first()


def recovery_codes_left(*, two_factor: TwoFactor) -> int:
    return two_factor.recovery_codes.filter(used_at__isnull=True).count()
