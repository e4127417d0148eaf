"""Labels and display of profile fields, which depend on the kind of partner (the same column
is "NPWP" for a person and "NPWP perusahaan" for a company)."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner
from profiles.models import BusinessForm, Profile

_PERUSAHAAN_LABELS = {
    "full_name": _("Nama penanggung jawab"),
    "nik": _("NIK penanggung jawab"),
    "npwp": _("NPWP perusahaan"),
    "address": _("Alamat perusahaan"),
    "phone": _("Telepon kantor"),
    "position": _("Jabatan penanggung jawab"),
}
_PRIBADI_LABELS = {
    "full_name": _("Nama sesuai KTP"),
    "address": _("Alamat sesuai KTP"),
}


def field_label(name: str, partner_kind: str) -> str:
    overrides = (
        _PERUSAHAAN_LABELS
        if partner_kind == Partner.Kind.PERUSAHAAN
        else _PRIBADI_LABELS
    )
    if name in overrides:
        return str(overrides[name])
    label = str(Profile._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def display_value(name: str, value) -> str:
    """How a stored (or proposed) value reads on the Profil page and in the back-office."""
    if value in (None, ""):
        return "—"
    if name == "birth_date":
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return date_format(value, "j F Y")
    if name == "business_form":
        return str(BusinessForm(value).label)
    return str(value)
