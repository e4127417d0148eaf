"""Back-office of the profiles app: staff decide profile submissions (the shared review admin),
see documents and credentials. Suspend/reactivate live on the Partner admin
(``profiles.admin_actions``)."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from portal.lib.previews import preview_html, preview_response
from portal.lib.review_admin import ReviewAdminMixin
from profiles import selectors
from profiles.fields import display_value, field_label
from profiles.models import Credential, Profile, ProfileDocument, ProfileSubmission


def _document_links(submission: ProfileSubmission, documents) -> str:
    """Each document with its download link and, for images and PDFs, an inline preview."""
    if not documents:
        return "—"
    return format_html(
        "<ul style='margin:0;padding-left:1.2em'>{}</ul>",
        format_html_join(
            "",
            "<li>{} — <a href='{}'>{}</a> <small>({}, {})</small><br>{}</li>",
            (
                (
                    document.label,
                    reverse("profiles:document", args=[document.pk]),
                    _("unduh"),
                    document.get_status_display(),
                    timezone.localtime(document.uploaded_at).strftime("%d-%m-%Y %H:%M"),
                    preview_html(
                        reverse(
                            "admin:profiles_profilesubmission_preview",
                            args=[submission.pk, document.pk],
                        ),
                        document.file,
                        alt=document.label,
                    ),
                )
                for document in documents
            ),
        ),
    )


@admin.register(ProfileSubmission)
class ProfileSubmissionAdmin(ReviewAdminMixin, admin.ModelAdmin):
    list_display = (
        "partner",
        "kind",
        "review_status",
        "submitted_at",
        "decided_at",
        "decided_by",
    )
    list_filter = ("kind",)
    search_fields = ("partner__code", "partner__name", "profile__nik", "profile__nib")
    list_select_related = ("partner", "decided_by")
    date_hierarchy = "submitted_at"
    fields = ("partner", "kind", "data_table", "documents_list")
    readonly_fields = ("partner", "kind", "data_table", "documents_list")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Data profil"))
    def data_table(self, obj: ProfileSubmission):
        profile = obj.profile
        kind = obj.partner.kind
        changes = obj.changes or {}
        rows = [
            (
                field_label(name, kind),
                display_value(name, getattr(profile, name)),
                display_value(name, changes[name]) if name in changes else "",
                "#fff4e5" if name in changes else "transparent",
            )
            for name in profile.field_names
        ]
        header = (
            format_html(
                "<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                _("Kolom"),
                _("Berlaku"),
                _("Diajukan"),
            )
            if not obj.is_initial
            else format_html("<tr><th>{}</th><th>{}</th></tr>", _("Kolom"), _("Isi"))
        )
        body = format_html_join(
            "",
            "<tr style='background:{3}'><td>{0}</td><td>{1}</td>"
            + ("<td><strong>{2}</strong></td>" if not obj.is_initial else "")
            + "</tr>",
            rows,
        )
        return format_html("<table>{}{}</table>", header, body)

    @admin.display(description=_("Dokumen"))
    def documents_list(self, obj: ProfileSubmission):
        current = list(selectors.current_documents(obj.profile).values())
        if obj.is_initial:
            return _document_links(obj, current)
        proposed = list(obj.documents.select_related("partner"))
        return format_html(
            "<p><strong>{}</strong></p>{}<p><strong>{}</strong></p>{}",
            _("Dokumen pengganti yang diajukan"),
            _document_links(obj, proposed),
            _("Dokumen yang berlaku"),
            _document_links(obj, current),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/dokumen/<int:document_id>/pratinjau/",
                self.admin_site.admin_view(self.preview_view),
                name="profiles_profilesubmission_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id, document_id):
        """Staff-only inline preview of one of the submission's profile documents."""
        submission = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, submission):
            raise Http404
        document = get_object_or_404(
            ProfileDocument, pk=document_id, profile_id=submission.profile_id
        )
        return preview_response(document.file)


class ProfileDocumentInline(admin.TabularInline):
    model = ProfileDocument
    fields = ("kind", "status", "uploaded_at", "uploaded_by", "download")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("kind", "-uploaded_at")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("File"))
    def download(self, obj: ProfileDocument):
        return format_html(
            "<a href='{}'>{}</a>",
            reverse("profiles:document", args=[obj.pk]),
            _("unduh"),
        )


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = (
        "partner",
        "display_name",
        "nik",
        "npwp_formatted",
        "nib",
        "approved_at",
    )
    search_fields = ("partner__code", "partner__name", "company_name", "full_name")
    list_select_related = ("partner",)
    # The NPWP is shown formatted, read-only, in its place (npwp_formatted).
    exclude = ("webreport_user", "npwp")
    inlines = [ProfileDocumentInline]

    def get_readonly_fields(self, request, obj=None):
        # Staff read profiles here; changes go through the partner and the review.
        return [
            "npwp_formatted" if f.name == "npwp" else f.name
            for f in Profile._meta.fields
            if f.name != "webreport_user"
        ]

    @admin.display(description=_("NPWP"), ordering="npwp")
    def npwp_formatted(self, obj: Profile) -> str:
        return display_value("npwp", obj.npwp)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = (
        "username",
        "partner",
        "environment",
        "merchant_id",
        "created_at",
        "rotated_at",
    )
    list_filter = ("environment",)
    search_fields = ("username", "merchant_id", "partner__code", "partner__name")
    list_select_related = ("partner",)
    exclude = ("ha1",)
    readonly_fields = (
        "partner",
        "environment",
        "username",
        "mitra",
        "account_id",
        "merchant_id",
        "merchant_name",
        "counter_id",
        "created_at",
        "rotated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
