"""Back-office of the Open API: Sign On counters, the API log, and the suspect queue where
staff settle by hand a transaction still pending past the staff deadline."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing.admin import TransactionAdmin
from billing.models import Transaction
from openapi.models import ApiLog, SignOnCounter, SuspectTransaction
from openapi.services import signon_counter_reset
from openapi.services.pending import SettleRefused, pending_settle_by_staff
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


class SettleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (Transaction.Status.SUKSES, _("Sukses (deposit tetap terpotong)")),
            (Transaction.Status.GAGAL, _("Gagal (deposit dikembalikan)")),
        ],
        widget=forms.RadioSelect,
    )
    sn = forms.CharField(
        label=_("SN dari penyedia"),
        max_length=64,
        required=False,
        help_text=_("Wajib untuk Sukses; dikirim ke mitra."),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Dicatat di audit (tidak dikirim ke mitra)."),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Transaction.Status.SUKSES and not data.get("sn"):
            self.add_error("sn", _("SN wajib diisi untuk menyatakan sukses."))
        return data


@admin.register(SuspectTransaction)
class SuspectTransactionAdmin(TransactionAdmin):
    """The suspect queue: pending transactions past the staff deadline, read-only like every
    transaction, each made final by hand once (``pending_settle_by_staff``). Seeing the
    queue takes its view permission; settling takes its change permission."""

    list_display = (
        "escalated_at",
        "partner",
        "environment",
        "reference_id",
        "product_code",
        "customer_number",
        "total_display",
        "provider",
        "checks",
        "settle_link",
    )
    list_filter = ("environment", "provider")
    actions = ["settle_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Transaction.Status.PENDING, escalated_at__isnull=False)
        )

    def has_settle_permission(self, request, obj=None) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.has_settle_permission(
            request, obj
        )

    @admin.action(
        description=_("Selesaikan manual transaksi suspect terpilih"),
        permissions=["settle"],
    )
    def settle_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request,
                gettext("Pilih tepat satu transaksi untuk diselesaikan manual."),
                messages.WARNING,
            )
            return None
        txn = queryset.get()
        return HttpResponseRedirect(
            reverse("admin:openapi_suspecttransaction_settle", args=[txn.pk])
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/selesaikan/",
                self.admin_site.admin_view(self.settle_view),
                name="openapi_suspecttransaction_settle",
            ),
            *super().get_urls(),
        ]

    def settle_view(self, request, object_id):
        """A suspect transaction made final by hand: form, confirmation, then the service
        (which refuses a transaction that is already final). Looked up among all
        transactions, so that one settled meanwhile says so rather than 404."""
        if not self.has_settle_permission(request):
            raise PermissionDenied
        txn = get_object_or_404(
            self.model._default_manager.select_related("partner", "provider"),
            pk=object_id,
        )
        change_url = reverse("admin:billing_transaction_change", args=[txn.pk])
        if txn.status != Transaction.Status.PENDING or txn.escalated_at is None:
            self.message_user(
                request,
                gettext("Transaksi ini tidak menunggu keputusan staf."),
                messages.WARNING,
            )
            return HttpResponseRedirect(change_url)
        form = SettleForm(request.POST if request.method == "POST" else None)
        confirm = False
        if form.is_bound and form.is_valid():
            if request.POST.get("confirm") != "yes":
                confirm = True
            else:
                data = form.cleaned_data
                try:
                    settled = pending_settle_by_staff(
                        transaction_id=txn.pk,
                        success=data["outcome"] == Transaction.Status.SUKSES,
                        sn=data["sn"],
                        reason=data["reason"],
                        actor=request.user,
                        ip=client_ip(request),
                    )
                except SettleRefused as exc:
                    self.message_user(request, exc.message, messages.WARNING)
                else:
                    self.message_user(
                        request,
                        gettext("Transaksi %(ref)s dinyatakan %(status)s.")
                        % {
                            "ref": settled.reference_id,
                            "status": settled.get_status_display(),
                        },
                        messages.SUCCESS,
                    )
                return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/openapi/settle.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Selesaikan transaksi suspect"),
                "txn": txn,
                "form": form,
                "confirm": confirm,
            },
        )
