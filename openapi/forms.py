"""The filters of the Log API page: they parse and normalise, defaulting to the last 7 days."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openapi.selectors import LogFilters
from portal.lib.environments import Environment
from portal.lib.forms import DateRangeForm

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


class ApiLogFilterForm(DateRangeForm):
    default_days = DEFAULT_RANGE_DAYS
    max_days = MAX_RANGE_DAYS

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

    def filters(self) -> LogFilters:
        data = self.cleaned_data if self.is_valid() else {}
        date_to = data.get("date_to") or self.today()
        return LogFilters(
            date_from=data.get("date_from") or self.date_from_default(date_to),
            date_to=date_to,
            environment=data.get("environment") or "",
            path=data.get("path") or "",
            rc=data.get("rc") or "",
            reference_id=data.get("reference_id") or "",
        )
