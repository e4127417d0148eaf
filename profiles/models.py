"""The KYC profile of a partner, its scanned documents, the submissions staff decide, and the
Open API credentials issued when the first submission is approved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Partner
from portal.lib.environments import Environment
from portal.lib.review import Reviewable, ReviewStatus
from portal.lib.uploads import get_private_storage, private_upload_to
from profiles.validators import PROVINCE_CHOICES


class BusinessForm(models.TextChoices):
    PT = "pt", _("PT (Perseroan Terbatas)")
    CV = "cv", _("CV (Persekutuan Komanditer)")
    KOPERASI = "koperasi", _("Koperasi")
    YAYASAN = "yayasan", _("Yayasan")
    LAINNYA = "lainnya", _("Lainnya")


# Which fields each kind of partner fills in, in the order of the form and the Profil page.
PRIBADI_FIELDS = (
    "full_name",
    "nik",
    "npwp",
    "birth_place",
    "birth_date",
    "address",
    "city",
    "province",
    "postal_code",
    "phone",
)
PERUSAHAAN_FIELDS = (
    "company_name",
    "business_form",
    "business_form_other",
    "nib",
    "npwp",
    "address",
    "city",
    "province",
    "postal_code",
    "phone",
    "website",
    "full_name",
    "position",
    "nik",
    "tech_name",
    "tech_email",
    "tech_phone",
)
# Fields that may stay empty even in a submitted profile.
OPTIONAL_FIELDS = {"website", "business_form_other"}
# Legal identity: once a partner is approved, a change of these (or of a document) waits for
# staff while the approved values stay live. Every other field (contact details) changes at once.
LEGAL_FIELDS = {
    "full_name",
    "nik",
    "npwp",
    "birth_place",
    "birth_date",
    "company_name",
    "business_form",
    "business_form_other",
    "nib",
}


class Profile(models.Model):
    """What a partner entered in "Lengkapi Data" / "Ubah Data".

    Before the first approval this is the working copy (draft, then submitted). After it, it
    holds the approved legal identity and the current contact details; pending legal changes
    live on a ``ProfileSubmission`` until staff approve them.

    Field names are shared by both kinds where the manual asks for the same thing: for a
    Perusahaan, ``full_name``/``nik`` are the penanggung jawab's and ``npwp``/``phone`` the
    company's.
    """

    partner = models.OneToOneField(
        Partner,
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="profile",
    )
    full_name = models.CharField(_("nama sesuai KTP"), max_length=150, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    company_name = models.CharField(_("nama perusahaan"), max_length=150, blank=True)
    business_form = models.CharField(
        _("bentuk usaha"), max_length=10, choices=BusinessForm.choices, blank=True
    )
    business_form_other = models.CharField(
        _("bentuk usaha lainnya"), max_length=60, blank=True
    )
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    address = models.TextField(_("alamat"), max_length=300, blank=True)
    city = models.CharField(_("kota/kabupaten"), max_length=100, blank=True)
    province = models.CharField(
        _("provinsi"), max_length=40, choices=PROVINCE_CHOICES, blank=True
    )
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    phone = models.CharField(_("nomor telepon"), max_length=16, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    position = models.CharField(
        _("jabatan penanggung jawab"), max_length=100, blank=True
    )
    tech_name = models.CharField(_("nama PIC teknis"), max_length=150, blank=True)
    tech_email = models.EmailField(_("email PIC teknis"), blank=True)
    tech_phone = models.CharField(_("telepon PIC teknis"), max_length=16, blank=True)

    approved_at = models.DateTimeField(_("pertama disetujui"), null=True, blank=True)
    webreport_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user Webreport"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("profil mitra")
        verbose_name_plural = _("profil mitra")

    def __str__(self) -> str:
        return str(self.partner)

    @property
    def is_perusahaan(self) -> bool:
        return self.partner.kind == Partner.Kind.PERUSAHAAN

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def field_names(self) -> tuple[str, ...]:
        return PERUSAHAAN_FIELDS if self.is_perusahaan else PRIBADI_FIELDS

    @property
    def display_name(self) -> str:
        return (self.company_name if self.is_perusahaan else self.full_name).strip()


class DocumentKind(models.TextChoices):
    KTP = "ktp", _("KTP")
    NPWP = "npwp", _("NPWP")
    SELFIE = "selfie", _("Foto selfie dengan KTP")
    NIB = "nib", _("NIB/SIUP")
    DEED = "akta", _("Akta pendirian")
    DEED_AMENDMENT = "akta_perubahan", _("Akta perubahan terakhir")
    SK = "sk_kemenkumham", _("SK Kemenkumham")


PRIBADI_DOCUMENTS = (DocumentKind.KTP, DocumentKind.NPWP, DocumentKind.SELFIE)
PERUSAHAAN_DOCUMENTS = (
    DocumentKind.KTP,
    DocumentKind.NPWP,
    DocumentKind.NIB,
    DocumentKind.DEED,
    DocumentKind.DEED_AMENDMENT,
    DocumentKind.SK,
)
OPTIONAL_DOCUMENTS = {DocumentKind.DEED_AMENDMENT}


def document_kinds(kind: str) -> tuple[str, ...]:
    return (
        PERUSAHAAN_DOCUMENTS if kind == Partner.Kind.PERUSAHAAN else PRIBADI_DOCUMENTS
    )


def document_label(doc_kind: str, partner_kind: str) -> str:
    if partner_kind == Partner.Kind.PERUSAHAAN:
        if doc_kind == DocumentKind.KTP:
            return str(_("KTP penanggung jawab"))
        if doc_kind == DocumentKind.NPWP:
            return str(_("NPWP perusahaan"))
    return str(DocumentKind(doc_kind).label)


class ProfileDocument(models.Model):
    """One uploaded scan. A profile's documents are its ``current`` rows; a replacement sent by
    an approved partner stays ``pending`` (on its submission) until staff decide."""

    class Status(models.TextChoices):
        CURRENT = "current", _("Berlaku")
        PENDING = "pending", _("Menunggu verifikasi")
        REPLACED = "replaced", _("Diganti")
        REJECTED = "rejected", _("Ditolak")

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="profile_documents",
    )
    profile = models.ForeignKey(
        Profile,
        verbose_name=_("profil"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    submission = models.ForeignKey(
        "ProfileSubmission",
        verbose_name=_("pengajuan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind)
    file = models.FileField(
        _("file"),
        storage=get_private_storage,
        upload_to=private_upload_to("profiles"),
        max_length=200,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, db_index=True
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dokumen profil")
        verbose_name_plural = _("dokumen profil")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind"],
                condition=Q(status="current"),
                name="profiles_one_current_document_per_kind",
            ),
            models.UniqueConstraint(
                fields=["profile", "kind"],
                condition=Q(status="pending"),
                name="profiles_one_pending_document_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.partner.code}"

    def get_absolute_url(self) -> str:
        return reverse("profiles:document", args=[self.pk])

    @property
    def label(self) -> str:
        return document_label(self.kind, self.partner.kind)


class ProfileSubmission(Reviewable):
    """What staff decide: the first verification of a profile, or a later change of an approved
    partner's legal data and documents (``changes`` and the pending documents)."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Verifikasi profil")
        CHANGE = "change", _("Perubahan data legal")

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="profile_submissions",
    )
    profile = models.ForeignKey(
        Profile,
        verbose_name=_("profil"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    kind = models.CharField(_("jenis pengajuan"), max_length=10, choices=Kind.choices)
    # For a change: {field: proposed value} of legal fields (dates as ISO strings).
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)

    class Meta:
        verbose_name = _("pengajuan profil")
        verbose_name_plural = _("pengajuan profil")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=Q(kind="initial"),
                name="profiles_one_initial_submission",
            ),
            models.UniqueConstraint(
                fields=["profile"],
                condition=Q(kind="change", review_status=ReviewStatus.PENDING),
                name="profiles_one_pending_change",
            ),
        ]

    def __str__(self) -> str:
        return str(self.partner)

    @property
    def is_initial(self) -> bool:
        return self.kind == self.Kind.INITIAL

    # Read by review_decide per instance: the first verification and later changes get their
    # own audit actions and nouns.
    @property
    def review_noun(self) -> str:  # type: ignore[override]
        return str(
            _("Verifikasi profil mitra")
            if self.is_initial
            else _("Perubahan data profil")
        )

    @property
    def review_action(self) -> str:  # type: ignore[override]
        return "profile" if self.is_initial else "profile_change"

    def review_portal_path(self) -> str:
        return reverse("profiles:detail")

    def review_email(self) -> tuple[str, dict] | None:
        # The first approval sends the manual's two emails itself, in order (Gambar 11, 12).
        if self.is_initial and self.is_approved:
            return None
        return ("review_decided", {})


# The portal login of the Webreport credential (a User, not a Credential row).
WEBREPORT_TITLE = _("Webreport (Production)")


class Credential(models.Model):
    """One Digest credential set of the Open API (Transaksi Production or Development).

    Only ``ha1 = MD5(username:realm:password)`` is kept; the password is shown once (in the
    credentials email, or on the Kredensial page after a rotation).
    """

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="credentials",
    )
    environment = models.CharField(
        _("environment"), max_length=12, choices=Environment.choices
    )
    username = models.CharField(_("username"), max_length=64, unique=True)
    ha1 = models.CharField(_("HA1"), max_length=32)
    mitra = models.CharField(_("mitra"), max_length=20)
    account_id = models.CharField(_("accountID"), max_length=20)
    merchant_id = models.CharField(_("merchantID"), max_length=20, unique=True)
    merchant_name = models.CharField(_("merchantName"), max_length=150)
    counter_id = models.CharField(_("counterID"), max_length=10)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("password diganti"), null=True, blank=True)

    class Meta:
        verbose_name = _("kredensial")
        verbose_name_plural = _("kredensial")
        ordering = ["partner", "-environment"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "environment"],
                name="profiles_one_credential_per_environment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} ({self.get_environment_display()})"

    @property
    def title(self) -> str:
        # Lazy, so that the same title reads "Transaction (Production)" on an English page
        # and stays Indonesian in the email rendered from it.
        return format_lazy(
            _("Transaksi ({environment})"),
            environment=Environment(self.environment).label,
        )
