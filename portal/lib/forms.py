"""Form parts shared by several menus."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.dates import PeriodDateField


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateRangeForm(forms.Form):
    """A period filter in local days: an empty ``date_to`` is today, an empty ``date_from``
    the start of the last ``default_days`` days, and a period is at most ``max_days`` long.
    After cleaning, both dates are always set."""

    default_days: ClassVar[int]
    max_days: ClassVar[int]

    date_from = PeriodDateField(
        label=gettext_lazy("Dari tanggal"), required=False, widget=_date_widget()
    )
    date_to = PeriodDateField(
        label=gettext_lazy("Sampai tanggal"), required=False, widget=_date_widget()
    )

    @classmethod
    def today(cls) -> date:
        return timezone.localdate()

    @classmethod
    def date_from_default(cls, date_to: date) -> date:
        return date_to - timedelta(days=cls.default_days - 1)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        date_to = data.get("date_to") or self.today()
        date_from = data.get("date_from") or self.date_from_default(date_to)
        if date_from > date_to:
            self.add_error(
                "date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal.")
            )
        elif (date_to - date_from).days >= self.max_days:
            self.add_error(
                "date_from",
                _("Rentang tanggal maksimal %(days)d hari.") % {"days": self.max_days},
            )
        data["date_from"], data["date_to"] = date_from, date_to
        return data
