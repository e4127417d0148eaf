from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from connections import services
from connections.models import (
    CallbackAttempt,
    CallbackDelivery,
    CallbackEndpoint,
    Connection,
)
from portal.lib.client_ip import client_ip
from portal.lib.review_admin import ReviewAdminMixin


class DeletedFilter(admin.SimpleListFilter):
    title = gettext_lazy("dihapus mitra")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", _("Tidak")), ("yes", _("Ya"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


class ConnectionAdminForm(forms.ModelForm):
    """Staff add an entry for a partner through ``connection_create`` (private and loopback
    addresses allowed in Production, e.g. for the demo partner)."""

    approved = forms.BooleanField(
        label=gettext_lazy("Langsung disetujui"), required=False, initial=True
    )

    class Meta:
        model = Connection
        fields = ["partner", "environment", "address"]

    def clean(self):
        cleaned = super().clean()
        partner = cleaned.get("partner")
        if partner is None or not cleaned.get("environment"):
            return cleaned
        try:
            cleaned["address"] = services.connection_validate(
                partner=partner,
                environment=cleaned["environment"],
                address=cleaned.get("address") or "",
                allow_non_public=True,
            )
        except services.ConnectionEntryError as exc:
            self.add_error(exc.field, exc.message)
        return cleaned


@admin.register(Connection)
class ConnectionAdmin(ReviewAdminMixin, admin.ModelAdmin):
    form = ConnectionAdminForm
    list_display = (
        "address",
        "environment",
        "partner",
        "review_status",
        "review_reason",
        "submitted_at",
        "decided_at",
        "is_deleted",
    )
    list_filter = ("environment", DeletedFilter)
    search_fields = ("address", "partner__code", "partner__name")
    list_select_related = ("partner",)
    date_hierarchy = "submitted_at"
    actions = [*ReviewAdminMixin.actions, "delete_entries"]
    readonly_fields = (
        "partner",
        "environment",
        "address",
        "created_at",
        "created_by",
        "deleted_at",
        "deleted_by",
    )

    @admin.display(boolean=True, description=gettext_lazy("dihapus"))
    def is_deleted(self, obj: Connection) -> bool:
        return obj.is_deleted

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["partner", "environment", "address", "approved"]
        return [
            "partner",
            "environment",
            "address",
            "review_status",
            "review_reason",
            "submitted_at",
            "decided_at",
            "decided_by",
            "created_at",
            "created_by",
            "deleted_at",
            "deleted_by",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Entries are removed through ``connection_delete`` (soft delete, audited).
        return False

    def save_model(self, request, obj, form, change):
        if change:  # every field is read-only on an existing entry
            return
        created = services.connection_create(
            partner=form.cleaned_data["partner"],
            environment=form.cleaned_data["environment"],
            address=form.cleaned_data["address"],
            actor=request.user,
            approved=form.cleaned_data.get("approved", False),
            ip=client_ip(request),
        )
        # The admin goes on with ``obj`` (log entry, redirect): make it the saved row.
        obj.__dict__.update(created.__dict__)

    @admin.action(description=gettext_lazy("Setujui pengajuan terpilih"))
    def review_approve(self, request, queryset):
        # One email per partner listing its approved entries, not one per entry.
        approved, refused = services.connection_approve_many(
            connections=queryset.select_related("partner").order_by("pk"),
            actor=request.user,
            ip=client_ip(request),
        )
        for message in refused:
            self.message_user(request, message, messages.WARNING)
        if approved:
            self.message_user(
                request,
                _("%(count)d pengajuan disetujui.") % {"count": len(approved)},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Hapus entri terpilih dari whitelist"))
    def delete_entries(self, request, queryset):
        done = 0
        for connection in queryset.filter(deleted_at__isnull=True):
            services.connection_delete(
                connection=connection, actor=request.user, ip=client_ip(request)
            )
            done += 1
        self.message_user(
            request,
            _("%(count)d entri dihapus dari whitelist.") % {"count": done},
            messages.SUCCESS,
        )


@admin.register(CallbackEndpoint)
class CallbackEndpointAdmin(admin.ModelAdmin):
    """Read-only: partners set their URL and secret in the portal. The secret is not shown
    here; staff never need it."""

    list_display = ("partner", "environment", "url", "secret_created_at", "updated_at")
    list_filter = ("environment",)
    search_fields = ("url", "partner__code", "partner__name")
    list_select_related = ("partner",)
    fields = ("partner", "environment", "url", "secret_created_at", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CallbackAttemptInline(admin.TabularInline):
    model = CallbackAttempt
    fields = ("at", "url", "http_status", "duration_ms", "response_excerpt", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CallbackDelivery)
class CallbackDeliveryAdmin(admin.ModelAdmin):
    """Every callback and its attempts; failed ones can be sent again (``callback_resend``)."""

    list_display = (
        "reference_id",
        "partner",
        "environment",
        "status",
        "attempts",
        "is_test",
        "created_at",
        "next_attempt_at",
    )
    list_filter = ("status", "environment", "is_test")
    search_fields = ("reference_id", "url", "partner__code", "partner__name")
    list_select_related = ("partner",)
    date_hierarchy = "created_at"
    inlines = [CallbackAttemptInline]
    actions = ["resend"]
    fields = (
        "partner",
        "environment",
        "url",
        "reference_id",
        "transaction_id",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "is_test",
        "created_at",
        "body",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Kirim ulang callback terpilih"))
    def resend(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                services.callback_resend(
                    delivery=delivery, actor=request.user, ip=client_ip(request)
                )
            except services.CallbackError as exc:
                self.message_user(
                    request, f"{delivery.reference_id}: {exc.message}", messages.WARNING
                )
            else:
                done += 1
        self.message_user(
            request,
            _("%(count)d callback dijadwalkan untuk dikirim ulang.") % {"count": done},
            messages.SUCCESS,
        )
