"""Request UAT (evidence of the partner's Development tests) and Request Live, per product.

Both are decided by staff through the shared review pattern; the review handlers registered
by ``integration.services`` move the partner's product along in the decision's transaction.
"""

import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.lib.environments import Environment
from portal.lib.review import Reviewable
from portal.lib.uploads import private_storage, private_upload_to
from products.models import PartnerProduct


class ProductReview(Reviewable):
    """A review whose decision moves the partner's product to ``approved_state`` or
    ``rejected_state`` (the handlers of ``integration.services.common``), in the decision's
    transaction, and emails ``email_template``. The fields both requests have; each names
    the relations back from a partner and a product in ``Meta.default_related_name``."""

    partner = models.ForeignKey(
        "accounts.Partner", verbose_name=_("mitra"), on_delete=models.PROTECT
    )
    product = models.ForeignKey(
        "products.Product", verbose_name=_("produk"), on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    approved_state: str
    rejected_state: str
    email_template: str
    portal_url_name: str

    class Meta:
        abstract = True
        ordering = ["-submitted_at", "-id"]

    def review_title(self) -> str:
        return f"{self.review_noun} {self.product}"

    def review_portal_path(self) -> str:
        return reverse(self.portal_url_name)

    def review_email(self):
        return (self.email_template, {"product": self.product})


class UatRequest(ProductReview):
    """One partner's UAT of one product: the evidence files and logs of its sandbox tests.

    One row per partner and product; a rejected request is corrected and sent again (the
    same row goes back to pending), so the list shows one line per product.
    """

    review_noun = _("Request UAT")
    review_action = "uat"
    approved_state = PartnerProduct.State.UAT_APPROVED
    rejected_state = PartnerProduct.State.UAT_REJECTED
    email_template = "uat_decided"
    portal_url_name = "integration:uat_list"

    class Meta(ProductReview.Meta):
        verbose_name = _("request UAT")
        verbose_name_plural = _("request UAT")
        default_related_name = "uat_requests"
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "product"], name="integration_uat_per_product"
            ),
        ]

    def __str__(self) -> str:
        return f"UAT {self.product}"


class UatEvidence(models.Model):
    """One piece of a UAT request's evidence: an uploaded file, or a pasted log."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Dokumen hasil UAT")
        INQUIRY_REQUEST = "inquiry_request", _("Log Request Inquiry")
        INQUIRY_RESPONSE = "inquiry_response", _("Log Response Inquiry")
        PAYMENT_REQUEST = "payment_request", _("Log Request Payment")
        PAYMENT_RESPONSE = "payment_response", _("Log Response Payment")
        INQUIRY_SCREENSHOT = "inquiry_screenshot", _("Screenshot Aplikasi Inquiry")
        PAYMENT_SCREENSHOT = "payment_screenshot", _("Screenshot Aplikasi Payment")

    uat_request = models.ForeignKey(
        UatRequest,
        verbose_name=_("request UAT"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("jenis"), max_length=24, choices=Kind.choices)
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to=private_upload_to("uat"),
        blank=True,
        max_length=200,
    )
    text = models.TextField(_("teks log"), blank=True)
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now=True)

    class Meta:
        verbose_name = _("bukti UAT")
        verbose_name_plural = _("bukti UAT")
        ordering = ["uat_request", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["uat_request", "kind"], name="integration_evidence_per_kind"
            ),
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(text=""),
                name="integration_evidence_file_or_text",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def partner_id(self):
        # private_upload_to files evidence under the partner's folder.
        return self.uat_request.partner_id

    @property
    def is_text(self) -> bool:
        return not self.file


class UatEvidenceCall(models.Model):
    """One of the partner's own Development API calls, attached to its UAT request.

    The call is copied as the server logged it when it was attached, so that the evidence
    stays what staff reviewed even when the API log is pruned later (``api_log`` then
    becomes empty); the copy is what every page shows.
    """

    uat_request = models.ForeignKey(
        UatRequest,
        verbose_name=_("request UAT"),
        on_delete=models.CASCADE,
        related_name="api_calls",
    )
    api_log = models.ForeignKey(
        "openapi.ApiLog",
        verbose_name=_("log API asal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    called_at = models.DateTimeField(_("waktu panggilan"))
    environment = models.CharField(
        _("environment"), max_length=12, choices=Environment.choices
    )
    method = models.CharField(_("metode"), max_length=8)
    path = models.CharField(_("path"), max_length=100)
    ip = models.CharField(_("IP"), max_length=64, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"))
    rc = models.CharField(_("rc"), max_length=4, blank=True)
    reference_id = models.CharField(_("referenceID"), max_length=40, blank=True)
    product_code = models.CharField(_("productID"), max_length=20, blank=True)
    request = models.JSONField(_("request"), null=True, blank=True)
    response = models.JSONField(_("response"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"), default=0)
    attached_at = models.DateTimeField(_("dilampirkan"), auto_now_add=True)

    class Meta:
        verbose_name = _("panggilan API bukti UAT")
        verbose_name_plural = _("panggilan API bukti UAT")
        ordering = ["uat_request", "called_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["uat_request", "api_log"], name="integration_call_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.reference_id} rc {self.rc}"

    @property
    def service(self) -> str:
        """The service's name as the documentation writes it (``Inquiry``, ``Payment``…)."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def request_pretty(self) -> str:
        return _pretty(self.request)

    @property
    def response_pretty(self) -> str:
        return _pretty(self.response)


def _pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)


class LiveRequest(ProductReview):
    """The request to sell a product in Production, after its UAT was approved."""

    uat_request = models.OneToOneField(
        UatRequest,
        verbose_name=_("request UAT"),
        on_delete=models.PROTECT,
        related_name="live_request",
    )

    review_noun = _("Request Live")
    review_action = "live"
    approved_state = PartnerProduct.State.ACTIVE
    rejected_state = PartnerProduct.State.LIVE_REJECTED
    email_template = "live_decided"
    portal_url_name = "products:mine"

    class Meta(ProductReview.Meta):
        verbose_name = _("request live")
        verbose_name_plural = _("request live")
        default_related_name = "live_requests"

    def __str__(self) -> str:
        return f"Live {self.product}"
