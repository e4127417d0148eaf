"""Back-office views of Manajemen User. Changes go through the services; the TOTP secret and
the recovery-code hashes are never shown."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.lib.client_ip import client_ip
from usermgmt import services
from usermgmt.models import SubUser, TeamSettings, TwoFactor


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TeamSettings)
class TeamSettingsAdmin(ReadOnlyAdmin):
    list_display = [
        "partner",
        "two_factor_required",
        "last_username_number",
        "updated_at",
    ]
    list_filter = ["two_factor_required"]
    list_select_related = ["partner"]
    search_fields = ["partner__code", "partner__name"]


@admin.register(SubUser)
class SubUserAdmin(ReadOnlyAdmin):
    list_display = ["user", "partner", "created_by", "created_at", "deleted_at"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user__partner", "created_by"]
    search_fields = ["user__username", "user__name", "deleted_email", "deleted_phone"]

    @admin.display(description=_("mitra"))
    def partner(self, obj):
        return obj.user.partner


@admin.register(TwoFactor)
class TwoFactorAdmin(ReadOnlyAdmin):
    list_display = ["user", "confirmed_at", "last_used_at", "locked_until"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "user__phone"]
    fields = ["user", "confirmed_at", "last_used_at", "failures", "locked_until"]
    actions = ["reset"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    @admin.action(
        description=_("Reset verifikasi dua langkah (user kehilangan handphone)")
    )
    def reset(self, request, queryset):
        done = 0
        for two_factor in queryset.select_related("user__partner"):
            if services.two_factor_reset(
                user=two_factor.user, actor=request.user, ip=client_ip(request)
            ):
                done += 1
        self.message_user(
            request,
            ngettext(
                "Verifikasi dua langkah %(count)d user direset.",
                "Verifikasi dua langkah %(count)d user direset.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
