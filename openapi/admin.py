from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from openapi.models import ApiLog, SignOnCounter
from openapi.services import signon_counter_reset
from portal.lib.client_ip import client_ip


@admin.register(SignOnCounter)
class SignOnCounterAdmin(admin.ModelAdmin):
    list_display = ("day", "credential", "count", "reset_at")
    list_filter = ("day",)
    search_fields = ("credential__username", "credential__partner__code")
    list_select_related = ("credential", "credential__partner")
    readonly_fields = ("credential", "day", "count", "reset_at")
    actions = ["reset"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Reset hitungan Sign On (buka blokir rc 34)"))
    def reset(self, request, queryset):
        counters = list(queryset)
        for counter in counters:
            signon_counter_reset(
                counter=counter, actor=request.user, ip=client_ip(request)
            )
        self.message_user(
            request,
            _("%(count)d hitungan Sign On direset; kredensial dapat dipakai lagi.")
            % {"count": len(counters)},
            messages.SUCCESS,
        )


@admin.register(ApiLog)
class ApiLogAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "partner",
        "environment",
        "path",
        "ip",
        "http_status",
        "rc",
    )
    list_filter = ("environment", "rc", "http_status", "path")
    search_fields = ("partner__code", "username", "reference_id", "ip")
    show_full_result_count = False
    date_hierarchy = "created_at"
    list_select_related = ("partner",)
    readonly_fields = [f.name for f in ApiLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
