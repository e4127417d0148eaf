from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portal.lib.email import email_resend
from portal.models import AuditEvent, EmailOutbox

# The admin home starts with the staff's work queue ("Menunggu keputusan").
admin.site.index_template = "admin/backoffice_index.html"


@admin.register(EmailOutbox)
class EmailOutboxAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to", "template", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in EmailOutbox._meta.fields]
    list_select_related = ("user",)
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Kirim ulang email terpilih"))
    def resend(self, request, queryset):
        for outbox in queryset:
            email_resend(outbox=outbox)
        self.message_user(
            request,
            _("%(count)d email diantrekan ulang.") % {"count": queryset.count()},
            messages.SUCCESS,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "partner", "actor", "action", "subject_repr", "ip")
    list_filter = ("action",)
    search_fields = ("action", "subject_repr", "partner__code", "partner__name")
    date_hierarchy = "created_at"
    list_select_related = ("partner", "actor")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
