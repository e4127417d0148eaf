"""Reads of accounts that more than one place needs."""

from accounts.models import User
from accounts.tokens import (
    ActivationLinkError,
    activation_token_matches,
    activation_token_read,
)


def activation_link_user(*, token: str, lock: bool = False) -> User:
    """The unverified user an activation link names.

    Raise ActivationLinkError(reason="invalid" | "expired" | "used"). With ``lock`` the row is
    locked for the caller's transaction, so that two clicks activate once.
    """
    user_id, digest = activation_token_read(token)
    users = User.objects.select_for_update() if lock else User.objects.all()
    user = users.filter(pk=user_id).first()
    if user is None or not activation_token_matches(user, digest):
        raise ActivationLinkError("invalid")
    if user.is_verified:
        raise ActivationLinkError("used")
    return user
