"""Back-office of the profiles app: staff decide profile submissions (the shared review admin),
see documents and credentials. Suspend/reactivate live on the Partner admin
(``profiles.admin_actions``)."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from portal.lib.review_admin import ReviewAdminMixin
from profiles import selectors
from profiles.fields import display_value, field_label
from profiles.models import Credential, Profile, ProfileDocument, ProfileSubmission


def _document_links(documents) -> str:
    if not documents:
        return "—"
    return format_html(
        "<ul style='margin:0;padding-left:1.2em'>{}</ul>",
        format_html_join(
            "",
            "<li>{} — <a href='{}'>{}</a> <small>({}, {})</small></li>",
            (
                (
                    document.label,
                    reverse("profiles:document", args=[document.pk]),
                    _("unduh"),
                    document.get_status_display(),
                    timezone.localtime(document.uploaded_at).strftime("%d-%m-%Y %H:%M"),
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
            return _document_links(current)
        proposed = list(obj.documents.select_related("partner"))
        return format_html(
            "<p><strong>{}</strong></p>{}<p><strong>{}</strong></p>{}",
            _("Dokumen pengganti yang diajukan"),
            _document_links(proposed),
            _("Dokumen yang berlaku"),
            _document_links(current),
        )


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
    list_display = ("partner", "display_name", "nik", "npwp", "nib", "approved_at")
    search_fields = ("partner__code", "partner__name", "company_name", "full_name")
    list_select_related = ("partner",)
    exclude = ("webreport_user",)
    inlines = [ProfileDocumentInline]

    def get_readonly_fields(self, request, obj=None):
        # Staff read profiles here; changes go through the partner and the review.
        return [f.name for f in Profile._meta.fields if f.name != "webreport_user"]

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
