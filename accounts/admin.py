from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import LoginLock, Partner, User
from profiles.admin_actions import partner_reactivate_action, partner_suspend_action


class UserInline(admin.TabularInline):
    model = User
    fields = (
        "username",
        "name",
        "email",
        "phone",
        "is_owner",
        "is_active",
        "last_login",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "status", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("code", "name", "users__email", "users__phone")
    readonly_fields = ("code", "status", "created_at")
    inlines = [UserInline]
    # Status changes go through the profiles services (audit event + email), not the form.
    actions = [partner_suspend_action, partner_reactivate_action]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "name",
        "email",
        "phone",
        "partner",
        "is_owner",
        "is_staff",
    )
    list_filter = ("is_staff", "is_owner", "is_active")
    search_fields = ("username", "name", "email", "phone", "partner__code")
    list_select_related = ("partner",)
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data diri"), {"fields": ("name", "email", "phone", "email_verified_at")}),
        (_("Mitra"), {"fields": ("partner", "is_owner", "access_rights")}),
        (
            _("Izin"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "password1", "password2"),
            },
        ),
    )


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    list_display = ("key", "failures", "last_failure_at", "locked_until")
    search_fields = ("key",)
