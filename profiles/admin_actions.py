"""Suspend / reactivate a partner: admin actions for the Partner admin (accounts/admin.py),
each through the profiles services (audit event and email to the partner)."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.client_ip import client_ip
from profiles import services
from profiles.forms import SuspendForm


def _report(modeladmin, request, done: int, text: str) -> None:
    if done:
        modeladmin.message_user(request, text % {"count": done}, messages.SUCCESS)


@admin.action(description=gettext_lazy("Nonaktifkan mitra terpilih (dengan alasan)"))
def partner_suspend_action(modeladmin, request, queryset):
    form = SuspendForm(request.POST if "reason" in request.POST else None)
    if not (form.is_bound and form.is_valid()):
        return TemplateResponse(
            request,
            "profiles/admin/partner_suspend.html",
            {
                **modeladmin.admin_site.each_context(request),
                "opts": modeladmin.model._meta,
                "form": form,
                "queryset": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "title": _("Nonaktifkan mitra"),
            },
        )
    done = 0
    for partner in queryset:
        try:
            services.partner_suspend(
                partner=partner,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
            done += 1
        except services.ProfileError as exc:
            modeladmin.message_user(request, exc.message, messages.WARNING)
    _report(modeladmin, request, done, _("%(count)d mitra dinonaktifkan."))
    return None


@admin.action(description=gettext_lazy("Aktifkan kembali mitra terpilih"))
def partner_reactivate_action(modeladmin, request, queryset):
    done = 0
    for partner in queryset:
        try:
            services.partner_reactivate(
                partner=partner, actor=request.user, ip=client_ip(request)
            )
            done += 1
        except services.ProfileError as exc:
            modeladmin.message_user(request, exc.message, messages.WARNING)
    _report(modeladmin, request, done, _("%(count)d mitra diaktifkan kembali."))
