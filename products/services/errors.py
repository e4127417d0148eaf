"""The one refusal of the products services."""

from __future__ import annotations


class ProductError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
