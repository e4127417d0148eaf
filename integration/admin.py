"""Back-office review of UAT and live requests, with the evidence shown inline."""

from pathlib import Path

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from integration import selectors
from integration.downloads import evidence_response
from integration.models import LiveRequest, UatEvidence, UatRequest
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
            return format_html('<a href="{}">{} ({})</a>', url, _("Unduh"), kind)
        return format_html(
            '<pre style="white-space:pre-wrap;max-height:24em;overflow:auto;margin:0">{}'
            '</pre><a href="{}">{}</a>',
            obj.text,
            url,
            _("Unduh sebagai TXT"),
        )


@admin.register(UatRequest)
class UatRequestAdmin(ReviewAdminMixin, admin.ModelAdmin):
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
    fields = ("partner", "product", "created_by", "created_at", *REVIEW_FIELDS)
    readonly_fields = ("partner", "product", "created_by", "created_at")
    inlines = [UatEvidenceInline]
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/bukti/<int:evidence_id>/",
                self.admin_site.admin_view(self.evidence_view),
                name="integration_uatrequest_evidence",
            ),
            *super().get_urls(),
        ]

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
class LiveRequestAdmin(ReviewAdminMixin, admin.ModelAdmin):
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
    fields = (
        "partner",
        "product",
        "uat_link",
        "production_ip",
        "created_by",
        "created_at",
        *REVIEW_FIELDS,
    )
    readonly_fields = (
        "partner",
        "product",
        "uat_link",
        "production_ip",
        "created_by",
        "created_at",
    )
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("request UAT"))
    def uat_link(self, obj):
        url = reverse("admin:integration_uatrequest_change", args=[obj.uat_request_id])
        return format_html('<a href="{}">{}</a>', url, obj.uat_request)

    @admin.display(description=_("IP Production disetujui"), boolean=True)
    def production_ip(self, obj):
        return selectors.production_ip_approved(partner=obj.partner)
