"""Writes of the Integrasi menu: submitting a UAT request (with uploaded evidence and
attached API calls) and a live request."""

from integration.services.common import (
    CALLS_FIELD,
    LOG_KINDS,
    MAX_CALLS,
    Evidence,
    IntegrationError,
    required_kinds,
)
from integration.services.live import live_request_submit
from integration.services.uat import uat_request_submit

__all__ = [
    "CALLS_FIELD",
    "LOG_KINDS",
    "MAX_CALLS",
    "Evidence",
    "IntegrationError",
    "live_request_submit",
    "required_kinds",
    "uat_request_submit",
]
