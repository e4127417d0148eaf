"""The one refusal of Manajemen User's services."""

from __future__ import annotations


class UserManagementError(Exception):
    def __init__(
        self, message: str, *, field: str | None = None, code: str = "invalid"
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
