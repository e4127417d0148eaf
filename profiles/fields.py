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
    if name == "npwp":
        return npwp_format(str(value))
    return str(value)


def npwp_format(npwp: str) -> str:
    """An NPWP as printed on the card: 15 digits as 00.000.000.0-000.000; the 16 digits of a
    NIK-based NPWP in groups of four, as a NIK is read. Anything else as stored."""
    if not npwp.isdigit():
        return npwp
    if len(npwp) == 15:
        return (
            f"{npwp[0:2]}.{npwp[2:5]}.{npwp[5:8]}.{npwp[8]}-{npwp[9:12]}.{npwp[12:15]}"
        )
    if len(npwp) == 16:
        return " ".join(npwp[i : i + 4] for i in range(0, 16, 4))
    return npwp
