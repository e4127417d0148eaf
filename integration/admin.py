"""Back-office review of UAT and live requests, with the evidence shown inline."""

from pathlib import Path

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from integration import evidence as evidence_rules
from integration import selectors
from integration.downloads import evidence_response
from integration.models import LiveRequest, UatEvidence, UatEvidenceCall, UatRequest
from portal.lib.previews import preview_html, preview_response
from portal.lib.review_admin import ReviewAdminMixin

REVIEW_FIELDS = (
    "review_status",
    "review_reason",
    "submitted_at",
    "decided_at",
    "decided_by",
)


class UatEvidenceInline(admin.TabularInline):
    model = UatEvidence
    fields = ("kind", "content", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("isi"))
    def content(self, obj):
        url = reverse(
            "admin:integration_uatrequest_evidence", args=[obj.uat_request_id, obj.pk]
        )
        if obj.file:
            kind = Path(obj.file.name).suffix.lstrip(".").upper()
            preview = reverse(
                "admin:integration_uatrequest_preview",
                args=[obj.uat_request_id, obj.pk],
            )
            return format_html(
                '<a href="{}">{} ({})</a><br>{}',
                url,
                _("Unduh"),
                kind,
                preview_html(preview, obj.file, alt=obj.get_kind_display()),
            )
        return format_html(
            '<pre style="white-space:pre-wrap;max-height:24em;overflow:auto;margin:0">{}'
            '</pre><a href="{}">{}</a>',
            obj.text,
            url,
            _("Unduh sebagai TXT"),
        )


_PRE = (
    '<pre style="white-space:pre-wrap;max-height:28em;overflow:auto;margin:0;'
    'min-width:22em">{}</pre>'
)


class UatEvidenceCallInline(admin.TabularInline):
    """The partner's Development calls as the server saw them (copied when attached)."""

    model = UatEvidenceCall
    verbose_name = _("panggilan API Development (dari Log API)")
    verbose_name_plural = _("panggilan API Development (dari Log API)")
    fields = ("call", "request_json", "response_json")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("panggilan"))
    def call(self, obj):
        original = "" if obj.api_log_id else _("log asal sudah dihapus; ini salinannya")
        return format_html(
            "<strong>{} {}</strong><br>{}: {}<br>{}: <code>{}</code><br>"
            "rc <strong>{}</strong> · HTTP {}<br>IP {}<br>{} ms<br><small>{}</small>",
            obj.method,
            obj.path,
            _("waktu"),
            timezone.localtime(obj.called_at).strftime("%d/%m/%Y %H:%M:%S"),
            "referenceID",
            obj.reference_id or "-",
            obj.rc or "-",
            obj.http_status,
            obj.ip or "-",
            obj.duration_ms,
            original,
        )

    @admin.display(description=_("request"))
    def request_json(self, obj):
        return format_html(_PRE, obj.request_pretty)

    @admin.display(description=_("response"))
    def response_json(self, obj):
        return format_html(_PRE, obj.response_pretty)


class ProductReviewAdmin(ReviewAdminMixin, admin.ModelAdmin):
    """What the back-office of UAT and live requests shares. Partners file requests and
    staff only decide them, so everything shown is read-only: who and what, the ``facts``
    of each kind of request, who filed it and when, then the review."""

    facts: tuple[str, ...] = ()
    list_display = (
        "product",
        "partner",
        "review_status",
        "submitted_at",
        "decided_at",
        "decided_by",
    )
    list_filter = ("product__category",)
    search_fields = ("partner__code", "partner__name", "product__code", "product__name")
    list_select_related = ("partner", "product", "decided_by")
    date_hierarchy = "submitted_at"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        shown = ("partner", "product", *cls.facts, "created_by", "created_at")
        cls.fields = (*shown, *REVIEW_FIELDS)
        cls.readonly_fields = shown

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UatRequest)
class UatRequestAdmin(ProductReviewAdmin):
    facts = ("evidence_summary",)
    inlines = [UatEvidenceInline, UatEvidenceCallInline]

    @admin.display(description=_("bukti per langkah"))
    def evidence_summary(self, obj):
        """How each step of the product is shown: by attached API calls, by uploads, or
        not at all (a request filed before a rule changed)."""
        if obj is None or obj.pk is None:
            return "-"
        coverage = evidence_rules.step_coverage(
            obj.product,
            kinds=obj.evidence.values_list("kind", flat=True),
            calls=obj.api_calls.values_list("path", "rc"),
        )
        how = {
            "api": _("panggilan API (lihat di bawah)"),
            "upload": _("log dan screenshot unggahan"),
            None: _("belum ada bukti"),
        }
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            "{}: {}",
            ((step.label, how[way]) for step, way in coverage),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/bukti/<int:evidence_id>/",
                self.admin_site.admin_view(self.evidence_view),
                name="integration_uatrequest_evidence",
            ),
            path(
                "<path:object_id>/bukti/<int:evidence_id>/pratinjau/",
                self.admin_site.admin_view(self.preview_view),
                name="integration_uatrequest_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id, evidence_id):
        """Staff-only inline preview of an uploaded screenshot or document."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        evidence = get_object_or_404(
            UatEvidence, pk=evidence_id, uat_request_id=object_id
        )
        return preview_response(evidence.file)

    def evidence_view(self, request, object_id, evidence_id):
        """Staff download of one piece of evidence (never a public URL)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        evidence = get_object_or_404(
            UatEvidence.objects.select_related("uat_request__product"),
            pk=evidence_id,
            uat_request_id=object_id,
        )
        try:
            return evidence_response(evidence)
        except FileNotFoundError:
            raise Http404 from None


@admin.register(LiveRequest)
class LiveRequestAdmin(ProductReviewAdmin):
    facts = ("uat_link", "production_ip")

    @admin.display(description=_("request UAT"))
    def uat_link(self, obj):
        url = reverse("admin:integration_uatrequest_change", args=[obj.uat_request_id])
        return format_html('<a href="{}">{}</a>', url, obj.uat_request)

    @admin.display(description=_("IP Production disetujui"), boolean=True)
    def production_ip(self, obj):
        return selectors.production_ip_approved(partner=obj.partner)
