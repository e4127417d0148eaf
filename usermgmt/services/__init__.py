"""Writes of Manajemen User, by concept: sub-users (``sub_users``), the team settings and
the owner's two-factor requirement (``team``), and each user's two-factor login
(``two_factor``).

Every refusal is a ``UserManagementError``; ``field`` names the form field it belongs to when
there is one. Every change writes an audit event in its own transaction.
"""

from usermgmt.services.errors import UserManagementError
from usermgmt.services.sub_users import (
    USER_AUDIT_FIELDS,
    sub_user_changeable_check,
    sub_user_create,
    sub_user_delete,
    sub_user_update,
    username_preview,
)
from usermgmt.services.team import two_factor_policy_set
from usermgmt.services.two_factor import (
    TWO_FACTOR_FAILURE_LIMIT,
    TWO_FACTOR_LOCK,
    recovery_codes_regenerate,
    two_factor_disable,
    two_factor_enable,
    two_factor_reset,
    two_factor_verify,
)

__all__ = [
    "TWO_FACTOR_FAILURE_LIMIT",
    "TWO_FACTOR_LOCK",
    "USER_AUDIT_FIELDS",
    "UserManagementError",
    "recovery_codes_regenerate",
    "sub_user_changeable_check",
    "sub_user_create",
    "sub_user_delete",
    "sub_user_update",
    "two_factor_disable",
    "two_factor_enable",
    "two_factor_policy_set",
    "two_factor_reset",
    "two_factor_verify",
    "username_preview",
]
