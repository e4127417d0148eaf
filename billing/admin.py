"""Back-office of billing. Money moves only through the services: top-ups are confirmed or
rejected with the review actions, corrections are adjustments approved by a second staff
member, and accounts, ledger entries and transactions are read-only here (a suspect
transaction is settled by hand on the Open API's suspect queue)."""

from django import forms
from django.contrib import admin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from billing import services
from billing.formatting import format_rupiah
from billing.models import (
    BankAccount,
    DepositAccount,
    DepositAdjustment,
    LedgerEntry,
    TopUp,
    Transaction,
)
from portal.lib.client_ip import client_ip
from portal.lib.previews import preview_html, preview_response
from portal.lib.review_admin import ReviewAdminMixin
from portal.lib.uploads import serve_private_file


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services: staff look, never add, edit or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    list_display = ("bank", "number", "holder", "is_active")
    list_filter = ("is_active",)
    search_fields = ("bank", "number", "holder")


@admin.register(DepositAccount)
class DepositAccountAdmin(ReadOnlyAdmin):
    list_display = ("partner", "environment", "balance_display", "updated_at")
    list_filter = ("environment",)
    search_fields = ("partner__code", "partner__name")
    list_select_related = ("partner",)

    @admin.display(description=_("saldo"), ordering="balance")
    def balance_display(self, obj):
        return format_rupiah(obj.balance)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "partner_display",
        "environment_display",
        "kind",
        "amount_display",
        "balance_after_display",
        "description",
        "created_by",
    )
    list_filter = ("kind", "account__environment")
    search_fields = ("account__partner__code", "account__partner__name", "description")
    list_select_related = ("account__partner", "created_by")
    show_full_result_count = False

    @admin.display(description=_("mitra"))
    def partner_display(self, obj):
        return obj.account.partner

    @admin.display(description=_("environment"))
    def environment_display(self, obj):
        return obj.account.get_environment_display()

    @admin.display(description=_("jumlah"), ordering="amount")
    def amount_display(self, obj):
        return format_rupiah(obj.amount)

    @admin.display(description=_("saldo akhir"))
    def balance_after_display(self, obj):
        return format_rupiah(obj.balance_after)


@admin.register(TopUp)
class TopUpAdmin(ReviewAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "partner",
        "transfer_amount_display",
        "bank_account",
        "submitted_at",
        "expires_at",
        "proof_link",
        "review_status",
    )
    list_filter = ("bank_account",)
    search_fields = ("partner__code", "partner__name")
    search_help_text = _("Kode/nama mitra, atau jumlah transfer (mis. 100.123).")
    list_select_related = ("partner", "bank_account")
    # A filtered list (e.g. the pending queue) would also COUNT(*) every top-up ever made.
    show_full_result_count = False
    readonly_fields = (
        "partner",
        "bank_account",
        "amount_display",
        "unique_code",
        "transfer_amount_display",
        "expires_at",
        "proof_link",
        "proof_preview",
        "proof_uploaded_at",
        "expired_at",
        "requested_by",
    )
    exclude = ("proof", "amount", "transfer_amount")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        digits = search_term.replace(".", "").replace(",", "").strip()
        if digits.isdigit():
            # Staff match the bank statement by the exact amount transferred.
            return queryset.filter(transfer_amount=int(digits)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("nominal"), ordering="amount")
    def amount_display(self, obj):
        return format_rupiah(obj.amount)

    @admin.display(description=_("jumlah transfer"), ordering="transfer_amount")
    def transfer_amount_display(self, obj):
        return format_rupiah(obj.transfer_amount)

    @admin.display(description=_("bukti transfer"))
    def proof_link(self, obj):
        if not obj.proof:
            return "-"
        url = reverse("admin:billing_topup_proof", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Unduh"))

    @admin.display(description=_("pratinjau bukti"))
    def proof_preview(self, obj):
        url = reverse("admin:billing_topup_preview", args=[obj.pk])
        return preview_html(url, obj.proof, alt=_("bukti transfer")) or "-"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/bukti/",
                self.admin_site.admin_view(self.proof_view),
                name="billing_topup_proof",
            ),
            path(
                "<path:object_id>/bukti/pratinjau/",
                self.admin_site.admin_view(self.preview_view),
                name="billing_topup_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """Staff-only inline preview of the proof of transfer."""
        topup = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, topup):
            raise Http404
        return preview_response(topup.proof)

    def proof_view(self, request, object_id):
        topup = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, topup) or not topup.proof:
            raise Http404
        return serve_private_file(topup.proof, download_name=f"bukti-topup-{topup.pk}")


class DepositAdjustmentForm(forms.ModelForm):
    class Meta:
        model = DepositAdjustment
        fields = ("partner", "environment", "amount", "reason")

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("Jumlah penyesuaian tidak boleh 0."))
        return amount

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Alasan penyesuaian wajib diisi."))
        return reason


@admin.register(DepositAdjustment)
class DepositAdjustmentAdmin(ReviewAdminMixin, admin.ModelAdmin):
    """Four-eyes: whoever creates an adjustment cannot approve it; another staff member
    approves it with the review action, which writes the ledger entry."""

    form = DepositAdjustmentForm
    list_display = (
        "id",
        "partner",
        "environment",
        "amount_display",
        "created_by",
        "created_at",
        "review_status",
        "decided_by",
    )
    list_filter = ("environment",)
    search_fields = ("partner__code", "partner__name", "reason")
    list_select_related = ("partner", "created_by", "decided_by")
    autocomplete_fields = ("partner",)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []  # the add form: partner, environment, amount and reason only
        return [
            "partner",
            "environment",
            "amount",
            "reason",
            "created_by",
            "created_at",
            *super().get_readonly_fields(request, obj),
        ]

    @admin.display(description=_("jumlah"), ordering="amount")
    def amount_display(self, obj):
        return format_rupiah(obj.amount)

    def save_model(self, request, obj, form, change):
        if change:
            return  # an adjustment is never edited; reject it and create a new one
        created = services.adjustment_create(
            partner=obj.partner,
            environment=obj.environment,
            amount=obj.amount,
            reason=obj.reason,
            actor=request.user,
            ip=client_ip(request),
        )
        obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "partner",
        "environment",
        "reference_id",
        "product_code",
        "customer_number",
        "total_display",
        "provider",
        "status",
        "rc",
    )
    list_filter = ("environment", "status", "provider")
    search_fields = ("=reference_id", "=customer_number", "partner__code")
    list_select_related = ("partner", "provider")
    show_full_result_count = False
    readonly_fields = ("margin_display", "settle_link")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "partner",
                    "environment",
                    "service",
                    "product",
                    "product_code",
                    "product_name",
                    "category",
                    "customer_number",
                    "reference_id",
                    "tagihan",
                    "admin",
                    "total",
                    "status",
                    "rc",
                    "description",
                    "created_at",
                    "completed_at",
                )
            },
        ),
        (
            _("Penyedia (upstream)"),
            {
                "fields": (
                    "provider",
                    "provider_ref",
                    "upstream_ref",
                    "buy_price",
                    "sell_price",
                    "margin_display",
                    "checks",
                    "escalated_at",
                    "settle_link",
                )
            },
        ),
        (_("Pesan"), {"fields": ("request", "response")}),
    )

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, obj):
        return format_rupiah(obj.total)

    @admin.display(description=_("marjin"))
    def margin_display(self, obj):
        return format_rupiah(obj.sell_price - obj.buy_price)

    @admin.display(description=_("keputusan staf"))
    def settle_link(self, obj):
        """A suspect transaction is settled on the Open API's suspect queue."""
        if obj.status != Transaction.Status.PENDING or obj.escalated_at is None:
            return "—"
        url = reverse("admin:openapi_suspecttransaction_settle", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}">{}</a>', url, _("Selesaikan manual")
        )
