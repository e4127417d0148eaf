from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portal.lib.email import email_resend
from portal.models import EmailOutbox


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
