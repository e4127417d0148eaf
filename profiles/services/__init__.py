"""Writes of the profiles app, by concept: saving and submitting the KYC profile and its
documents (``profile``), what a staff decision does to it (``decision``, which registers the
review handlers), issuing and rotating credentials (``credentials``), and suspending and
reactivating a partner (``status``). Every refusal is a ``ProfileError``."""

from profiles.services.common import ProfileError
from profiles.services.credentials import (
    COUNTER_ID,
    WEBREPORT_RIGHTS,
    credential_rotate,
    credentials_issue,
    webreport_rotate,
)
from profiles.services.decision import submission_approved, submission_rejected
from profiles.services.profile import ProfileSaveResult, profile_save
from profiles.services.status import partner_reactivate, partner_suspend

__all__ = [
    "COUNTER_ID",
    "WEBREPORT_RIGHTS",
    "ProfileError",
    "ProfileSaveResult",
    "credential_rotate",
    "credentials_issue",
    "partner_reactivate",
    "partner_suspend",
    "profile_save",
    "submission_approved",
    "submission_rejected",
    "webreport_rotate",
]
