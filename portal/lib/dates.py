"""The dates a period filter accepts.

A period is turned into a range of timestamps by adding and subtracting days (the day after
``date_to``, 30 days before it when ``date_from`` is empty), which overflows at the ends of
the calendar (9999-12-31, 0001-01-01). Dates far from both ends are refused with a message
instead, and nothing in this service happened outside them.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2099, 12, 31)


def period_date_parse(value: str | None) -> date | None:
    """An ISO date typed in a period filter, or None when empty, malformed or out of range."""
    try:
        parsed = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return parsed if parsed is not None and DATE_MIN <= parsed <= DATE_MAX else None


class PeriodDateField(forms.DateField):
    """A date of a period filter: between ``DATE_MIN`` and ``DATE_MAX``."""

    default_error_messages = {
        "out_of_range": gettext_lazy("Tanggal harus antara %(min)s dan %(max)s."),
    }

    def validate(self, value):
        super().validate(value)
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={
                    "min": DATE_MIN.strftime("%d-%m-%Y"),
                    "max": DATE_MAX.strftime("%d-%m-%Y"),
                },
            )
