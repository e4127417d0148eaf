"""Forms of the Transaksi menu: they parse and normalise; services decide."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.formatting import format_rupiah
from billing.models import BankAccount, LedgerEntry, Transaction
from billing.models.topup import TOPUP_MAX_AMOUNT, TOPUP_MIN_AMOUNT
from billing.selectors import LedgerFilters, TransactionFilters, local_today
from portal.lib.dates import period_date_parse
from portal.lib.environments import Environment
from portal.lib.forms import DateRangeForm
from portal.lib.uploads import DocumentField

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30


class RupiahField(forms.IntegerField):
    """Accepts what people type: ``100000``, ``100.000``, ``Rp 100.000``, ``100,000``."""

    def to_python(self, value):
        if isinstance(value, str):
            cleaned = re.sub(r"(?i)^\s*rp\.?\s*", "", value)
            cleaned = re.sub(r"[.,\s]", "", cleaned)
            if cleaned and not cleaned.isdigit():
                raise forms.ValidationError(
                    _("Masukkan nominal dalam angka, misalnya 100.000."), code="invalid"
                )
            value = cleaned
        return super().to_python(value)


class TopUpForm(forms.Form):
    amount = RupiahField(
        label=gettext_lazy("Nominal top up"),
        min_value=TOPUP_MIN_AMOUNT,
        max_value=TOPUP_MAX_AMOUNT,
        help_text=gettext_lazy("Minimal Rp 100.000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "min_value": gettext_lazy("Nominal top up minimal Rp 100.000."),
            "max_value": gettext_lazy("Nominal top up maksimal Rp 1.000.000.000."),
        },
    )
    bank_account = forms.ModelChoiceField(
        label=gettext_lazy("Rekening tujuan"),
        queryset=BankAccount.objects.filter(is_active=True),
        empty_label=gettext_lazy("Pilih rekening tujuan"),
        error_messages={"required": gettext_lazy("Pilih rekening tujuan transfer.")},
    )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < TOPUP_MIN_AMOUNT:
            raise forms.ValidationError(
                _("Nominal top up minimal %(min)s.")
                % {"min": format_rupiah(TOPUP_MIN_AMOUNT)}
            )
        return amount


class ProofForm(forms.Form):
    proof = DocumentField(label=gettext_lazy("Bukti transfer"))


class _PeriodForm(DateRangeForm):
    """A date range in local days, defaulting to the last 30 days, at most a year long,
    in one environment (Production when none is chosen)."""

    default_days = DEFAULT_RANGE_DAYS
    max_days = MAX_RANGE_DAYS

    environment = forms.ChoiceField(
        label=gettext_lazy("Environment"),
        choices=[
            (Environment.PRODUCTION, Environment.PRODUCTION.label),
            (Environment.DEVELOPMENT, Environment.DEVELOPMENT.label),
        ],
        required=False,
    )

    @classmethod
    def today(cls) -> date:
        return local_today()

    def clean(self):
        data = super().clean()
        data["environment"] = data.get("environment") or Environment.PRODUCTION
        return data

    @classmethod
    def bound(cls, params):
        """Always bound, with the defaults filled in so that the form shows the period and
        environment actually listed (the last 30 days of Production)."""
        data = params.copy()
        date_to = period_date_parse(data.get("date_to"))
        if not data.get("date_to"):
            date_to = cls.today()
            data["date_to"] = date_to.isoformat()
        if not data.get("date_from") and date_to is not None:
            data["date_from"] = cls.date_from_default(date_to).isoformat()
        if not data.get("environment"):
            data["environment"] = Environment.PRODUCTION
        form = cls(data)
        form.is_valid()
        return form

    def cleaned_or_default(self) -> dict:
        if self.is_valid():
            return self.cleaned_data
        return type(self)({}).cleaned_or_default()


class TransactionFilterForm(_PeriodForm):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Semua status")), *Transaction.Status.choices],
        required=False,
    )
    category = forms.CharField(
        label=gettext_lazy("Kategori"),
        required=False,
        max_length=60,
        # Suggestions from the catalogue (see the view); any past category name still works.
        widget=forms.TextInput(attrs={"list": "category-options"}),
    )
    product = forms.CharField(
        label=gettext_lazy("Produk"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("Kode atau nama produk."),
    )
    customer_number = forms.CharField(
        label=gettext_lazy("Nomor pelanggan"), required=False, max_length=64
    )
    reference_id = forms.CharField(
        label=gettext_lazy("referenceID"), required=False, max_length=20
    )

    def filters(self) -> TransactionFilters:
        data = self.cleaned_or_default()
        return TransactionFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            environment=data["environment"],
            status=data.get("status", ""),
            category=data.get("category", "").strip(),
            product=data.get("product", "").strip(),
            customer_number=data.get("customer_number", "").strip(),
            reference_id=data.get("reference_id", "").strip(),
        )


class LedgerFilterForm(_PeriodForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis"),
        choices=[("", gettext_lazy("Semua jenis")), *LedgerEntry.Kind.choices],
        required=False,
    )

    def filters(self) -> LedgerFilters:
        data = self.cleaned_or_default()
        return LedgerFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            environment=data["environment"],
            kind=data.get("kind", ""),
        )
