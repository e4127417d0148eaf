"""The admin side of the review pattern: approve / reject as list actions and on the detail
page, each through ``review_decide``. Use ``ReviewAdminMixin`` before ``admin.ModelAdmin``."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.backoffice import review_history
from portal.lib.client_ip import client_ip
from portal.lib.review import ReviewError, ReviewStatus, review_decide


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan penolakan"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Dikirim ke mitra dan tampil di portal."),
    )


class ReviewAdminMixin:
    change_form_template = "admin/review/change_form.html"
    actions = ["review_approve", "review_reject"]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return ["review_status", *[f for f in filters if f != "review_status"]]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        extra = [
            "review_status",
            "review_reason",
            "submitted_at",
            "decided_at",
            "decided_by",
        ]
        return fields + [f for f in extra if f not in fields]

    def _decide(self, request, queryset, *, approve: bool, reason: str = "") -> None:
        done = 0
        for subject in queryset:
            try:
                review_decide(
                    subject=subject,
                    approve=approve,
                    actor=request.user,
                    reason=reason,
                    ip=client_ip(request),
                )
                done += 1
            except ReviewError as exc:
                self.message_user(request, exc.message, messages.WARNING)
        if done:
            text = (
                _("%(count)d pengajuan disetujui.")
                if approve
                else _("%(count)d pengajuan ditolak.")
            )
            self.message_user(request, text % {"count": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Setujui pengajuan terpilih"))
    def review_approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=gettext_lazy("Tolak pengajuan terpilih (dengan alasan)"))
    def review_reject(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._decide(
                request, queryset, approve=False, reason=form.cleaned_data["reason"]
            )
            return None
        return TemplateResponse(
            request,
            "admin/review/reject.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "form": form,
                "queryset": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "title": _("Tolak pengajuan"),
            },
        )

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="{}_{}_review".format(*info),
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        """POST from the detail page's approve / reject buttons."""
        subject = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method == "POST" and self.has_change_permission(request, subject):
            approve = request.POST.get("decision") == "approve"
            form = RejectForm(request.POST)
            if approve or form.is_valid():
                self._decide(
                    request,
                    [subject],
                    approve=approve,
                    reason="" if approve else form.cleaned_data["reason"],
                )
            else:
                self.message_user(
                    request, _("Alasan penolakan wajib diisi."), messages.ERROR
                )
        info = self.model._meta.app_label, self.model._meta.model_name
        return HttpResponseRedirect(
            reverse("admin:{}_{}_change".format(*info), args=[subject.pk])
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            info = self.model._meta.app_label, self.model._meta.model_name
            extra_context["review_subject"] = obj
            extra_context["review_pending"] = obj.review_status == ReviewStatus.PENDING
            extra_context["review_url"] = reverse(
                "admin:{}_{}_review".format(*info), args=[obj.pk]
            )
            extra_context["reject_form"] = RejectForm()
            extra_context["review_history"] = review_history(obj)
        return super().change_view(request, object_id, form_url, extra_context)
