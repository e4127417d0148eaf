"""Writes of the Koneksi menu: the IP whitelist (``whitelist``) and callbacks (``callbacks``).

Import from here: ``from connections.services import connection_create, callback_enqueue``.
"""

from connections.services.callbacks import (
    CallbackError,
    callback_attempt,
    callback_endpoint_save,
    callback_enqueue,
    callback_resend,
    callback_secret_regenerate,
    callback_send_test,
    callbacks_requeue_lost,
)
from connections.services.whitelist import (
    AUDIT_FIELDS,
    ConnectionEntryError,
    connection_approve_many,
    connection_create,
    connection_delete,
    connection_resubmit,
    connection_validate,
)

__all__ = [
    "AUDIT_FIELDS",
    "CallbackError",
    "ConnectionEntryError",
    "callback_attempt",
    "callback_endpoint_save",
    "callback_enqueue",
    "callback_resend",
    "callback_secret_regenerate",
    "callback_send_test",
    "callbacks_requeue_lost",
    "connection_approve_many",
    "connection_create",
    "connection_delete",
    "connection_resubmit",
    "connection_validate",
]
