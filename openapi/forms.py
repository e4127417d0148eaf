"""The filters of the Log API page: they parse and normalise, defaulting to the last 7 days."""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openapi.selectors import LogFilters
from portal.lib.dates import PeriodDateField
from portal.lib.environments import Environment

DEFAULT_RANGE_DAYS = 7
MAX_RANGE_DAYS = 92

# The services of the contract, in its order (the "Layanan" filter).
API_PATHS = [
    "/auth/Sign-On",
    "/Services/Inquiry",
    "/Services/Payment",
    "/Services/SinglePayment",
    "/Services/Check-Status",
    "/Services/getPulsa-Prabayar",
    "/Services/getHargaByProductID",
    "/Services/get-Deposit",
    "/Services/get-Active-Product",
    "/Services/get-Product-List",
]


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApiLogFilterForm(forms.Form):
    date_from = PeriodDateField(
        label=gettext_lazy("Dari tanggal"), required=False, widget=_date_widget()
    )
    date_to = PeriodDateField(
        label=gettext_lazy("Sampai tanggal"), required=False, widget=_date_widget()
    )
    environment = forms.ChoiceField(
        label=gettext_lazy("Environment"),
        choices=[("", gettext_lazy("Semua")), *Environment.choices],
        required=False,
    )
    path = forms.ChoiceField(
        label=gettext_lazy("Layanan"),
        choices=[("", gettext_lazy("Semua")), *[(p, p) for p in API_PATHS]],
        required=False,
    )
    rc = forms.CharField(label=gettext_lazy("RC"), required=False, max_length=4)
    reference_id = forms.CharField(
        label=gettext_lazy("referenceID"), required=False, max_length=40
    )

    @classmethod
    def bound(cls, params) -> ApiLogFilterForm:
        """Always bound, so that the defaults apply; invalid values fall back to them."""
        form = cls(params)
        form.is_valid()
        return form

    def clean_rc(self):
        value = self.cleaned_data["rc"].strip()
        if value and not re.fullmatch(r"[0-9]{2}", value):
            raise forms.ValidationError(
                _("RC terdiri dari 2 angka, misalnya 00 atau 45.")
            )
        return value

    def clean_reference_id(self):
        return self.cleaned_data["reference_id"].strip()

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - timedelta(
            days=DEFAULT_RANGE_DAYS - 1
        )
        if date_from > date_to:
            self.add_error(
                "date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal.")
            )
        elif (date_to - date_from).days >= MAX_RANGE_DAYS:
            self.add_error(
                "date_from",
                _("Rentang tanggal maksimal %(days)d hari.") % {"days": MAX_RANGE_DAYS},
            )
        data["date_from"], data["date_to"] = date_from, date_to
        return data

    def filters(self) -> LogFilters:
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate()
        date_to = data.get("date_to") or today
        return LogFilters(
            date_from=data.get("date_from")
            or date_to - timedelta(days=DEFAULT_RANGE_DAYS - 1),
            date_to=date_to,
            environment=data.get("environment") or "",
            path=data.get("path") or "",
            rc=data.get("rc") or "",
            reference_id=data.get("reference_id") or "",
        )
