"""Back-office of the upstream side: providers (health, breaker, credentials set or not,
never their values), their routes per product, the margin report and the daily
reconciliation."""

from __future__ import annotations

import logging
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billers import health
from billers.adapters import adapter_for
from billers.models import (
    Provider,
    ProviderProduct,
    Reconciliation,
    ReconciliationMismatch,
)
from billers.services.backoffice import (
    credential_states,
    provider_breaker_reset,
    provider_save,
    routes_changed_record,
    routes_deleted_record,
)
from billers.services.margins import MarginFilter, margin_rows, margin_totals
from billing.formatting import format_rupiah
from portal.lib.client_ip import client_ip
from portal.lib.environments import Environment
from portal.lib.forms import DateRangeForm
from portal.lib.tasks import task_enqueue
from products.admin import ProductAdmin

logger = logging.getLogger(__name__)

MARGIN_PER_PAGE = 50
BREAKER_LABELS = {
    "closed": gettext_lazy("Tertutup (normal)"),
    "half-open": gettext_lazy("Setengah terbuka (uji coba)"),
    "open": gettext_lazy("Terbuka (dilewati)"),
}


# --- routes -------------------------------------------------------------------------------


class AuditedRouteFormSet(BaseInlineFormSet):
    """Routes saved from an inline: each added, changed or removed route is audited in the
    admin's transaction (``actor`` and ``ip`` are set per request by the inline)."""

    actor = None
    ip: str | None = None

    def save(self, commit=True):
        if commit:
            deleting = [
                form.instance
                for form in self.deleted_forms
                if form.instance.pk is not None
            ]
            routes_deleted_record(deleted=deleting, actor=self.actor, ip=self.ip)
        saved = super().save(commit)
        if commit:
            routes_changed_record(
                created=list(self.new_objects),
                changed=[(obj, list(fields)) for obj, fields in self.changed_objects],
                actor=self.actor,
                ip=self.ip,
            )
        return saved


class _RouteInline(admin.TabularInline):
    model = ProviderProduct
    formset = AuditedRouteFormSet
    extra = 0
    ordering = ("priority", "id")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(
            formset.__name__,
            (formset,),
            {"actor": request.user, "ip": client_ip(request)},
        )


class ProviderRouteInline(_RouteInline):
    """On a provider: the products it sells, with their code there and our buy price."""

    fields = ("product", "priority", "provider_code", "buy_price", "enabled")
    autocomplete_fields = ("product",)
    verbose_name = gettext_lazy("produk yang dijual")
    verbose_name_plural = gettext_lazy("produk yang dijual (rute)")


class ProductRouteInline(_RouteInline):
    """On a product: its providers in the order they are tried (``priority``, lowest
    first)."""

    fields = ("provider", "priority", "provider_code", "buy_price", "enabled")
    verbose_name = gettext_lazy("penyedia")
    verbose_name_plural = gettext_lazy("penyedia (urutan dicoba)")


# The product's page shows its providers in the order they are tried, with the buy price and
# code at each: added here, when the admin autodiscovery imports this module (it imports
# products.admin first, whatever the order of INSTALLED_APPS), so that the catalogue knows
# nothing of billers.
if ProductRouteInline not in ProductAdmin.inlines:
    ProductAdmin.inlines = [*ProductAdmin.inlines, ProductRouteInline]


# --- providers ----------------------------------------------------------------------------


def _health(obj: Provider) -> health.Health:
    """The provider's figures, read once per row of a page."""
    found = getattr(obj, "_health_cached", None)
    if found is None:
        found = health.health(obj.pk)
        obj._health_cached = found
    return found


def _ms(value: int | None) -> str:
    return "—" if value is None else f"≤ {value} ms"


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    change_list_template = "admin/billers/provider/change_list.html"
    list_display = (
        "code",
        "name",
        "kind",
        "enabled",
        "breaker_display",
        "calls_display",
        "error_rate_display",
        "p50_display",
        "p99_display",
    )
    list_display_links = ("code", "name")
    list_filter = ("kind", "enabled")
    search_fields = ("code", "name")
    inlines = [ProviderRouteInline]
    actions = ["breaker_reset_selected", "reconcile_yesterday"]
    readonly_fields = ("credentials_display", "health_display", "balance_link")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "kind",
                    "base_url",
                    "timeout_seconds",
                    "enabled",
                )
            },
        ),
        (
            gettext_lazy("Kredensial"),
            {
                "fields": ("credentials_env", "credentials_display"),
                "description": gettext_lazy(
                    "Kredensial hanya dibaca dari variabel lingkungan server; di sini "
                    "hanya terlihat apakah sudah diisi, tidak pernah nilainya."
                ),
            },
        ),
        (
            gettext_lazy("Kesehatan (5 menit terakhir)"),
            {"fields": ("health_display", "balance_link")},
        ),
    )

    def has_delete_permission(self, request, obj=None):
        # Transactions keep their provider (PROTECT); disable a provider instead.
        return False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name == "credentials_env":
            # The admin shows help texts as HTML; this one names <AWALAN>_<LINGKUNGAN>_…
            field.help_text = escape(field.help_text)
        return field

    @admin.display(description=gettext_lazy("breaker"))
    def breaker_display(self, obj):
        state = _health(obj).state
        return BREAKER_LABELS.get(state, state)

    @admin.display(description=gettext_lazy("panggilan"))
    def calls_display(self, obj):
        return _health(obj).calls

    @admin.display(description=gettext_lazy("tingkat error"))
    def error_rate_display(self, obj):
        rate = _health(obj).error_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @admin.display(description=gettext_lazy("p50"))
    def p50_display(self, obj):
        return _ms(_health(obj).p50_ms)

    @admin.display(description=gettext_lazy("p99"))
    def p99_display(self, obj):
        return _ms(_health(obj).p99_ms)

    @admin.display(description=gettext_lazy("status kredensial"))
    def credentials_display(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        states = credential_states(obj)
        if not states:
            return _("Tidak ada variabel kredensial (awalan kosong atau belum diisi).")
        return format_html(
            '<table class="billers-credentials"><thead><tr><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Environment"),
            _("Variabel"),
            _("Status"),
            format_html_join(
                "",
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                (
                    (
                        Environment(state.environment).label,
                        state.variable,
                        _("terisi") if state.is_set else _("belum diisi"),
                    )
                    for state in states
                ),
            ),
        )

    @admin.display(description=gettext_lazy("kesehatan"))
    def health_display(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        figures = _health(obj)
        rate = figures.error_rate
        return format_html(
            "{}: {} · {}: {} · {}: {} · {}: {} · p50 {} · p99 {}",
            _("Breaker"),
            BREAKER_LABELS.get(figures.state, figures.state),
            _("panggilan"),
            figures.calls,
            _("error"),
            figures.errors,
            _("tingkat error"),
            "—" if rate is None else f"{rate * 100:.1f}%",
            _ms(figures.p50_ms),
            _ms(figures.p99_ms),
        )

    @admin.display(description=gettext_lazy("saldo di penyedia"))
    def balance_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:billers_provider_balance", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Cek saldo sekarang"))

    def save_model(self, request, obj, form, change):
        provider_save(
            provider=obj,
            changed=list(form.changed_data),
            actor=request.user,
            ip=client_ip(request),
        )

    @admin.action(description=gettext_lazy("Reset circuit breaker penyedia terpilih"))
    def breaker_reset_selected(self, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        count = 0
        for provider in queryset:
            provider_breaker_reset(
                provider=provider, actor=request.user, ip=client_ip(request)
            )
            count += 1
        self.message_user(
            request,
            _("Circuit breaker %(count)d penyedia di-reset.") % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy(
            "Jalankan rekonsiliasi kemarin untuk penyedia terpilih"
        )
    )
    def reconcile_yesterday(self, request, queryset):
        if not request.user.has_perm("billers.add_reconciliation"):
            raise PermissionDenied
        day = timezone.localdate() - timedelta(days=1)
        queued = 0
        for provider in queryset:
            for environment in Environment.values:
                task_enqueue(
                    "billers.tasks.reconcile_one",
                    provider.pk,
                    day.isoformat(),
                    environment,
                    request.user.pk,
                )
                queued += 1
        self.message_user(
            request,
            _("%(count)d rekonsiliasi tanggal %(day)s diantrekan.")
            % {"count": queued, "day": day.strftime("%d-%m-%Y")},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "marjin/",
                self.admin_site.admin_view(self.margins_view),
                name="billers_margins",
            ),
            path(
                "<path:object_id>/saldo/",
                self.admin_site.admin_view(self.balance_view),
                name="billers_provider_balance",
            ),
            *super().get_urls(),
        ]

    def balance_view(self, request, object_id):
        """Ask the provider for our balance there, per environment (errors are shown as
        such, never with what the adapter raised: it may name a credential)."""
        provider = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, provider):
            raise PermissionDenied
        for environment in Environment:
            try:
                balance = adapter_for(provider, environment.value).balance()
            except Exception as exc:  # any adapter failure is a message, not a 500
                logger.warning(
                    "provider %s balance (%s): %s",
                    provider.code,
                    environment.value,
                    type(exc).__name__,
                )
                self.message_user(
                    request,
                    _("Saldo %(env)s tidak dapat dibaca dari penyedia.")
                    % {"env": environment.label},
                    messages.WARNING,
                )
                continue
            self.message_user(
                request,
                _("Saldo %(env)s: %(balance)s")
                % {"env": environment.label, "balance": format_rupiah(balance)},
                messages.INFO,
            )
        return HttpResponseRedirect(
            reverse("admin:billers_provider_change", args=[provider.pk])
        )

    def margins_view(self, request):
        """Margin per day, provider and product of the successful transactions."""
        if not (
            self.has_view_permission(request)
            and request.user.has_perm("billing.view_transaction")
        ):
            raise PermissionDenied
        form = MarginForm(request.GET)
        page = totals = margin_filter = None
        if form.is_valid():
            data = form.cleaned_data
            margin_filter = MarginFilter(
                date_from=data["date_from"],
                date_to=data["date_to"],
                environment=data["environment"] or Environment.PRODUCTION,
                provider_id=data["provider"].pk if data["provider"] else None,
            )
            page = Paginator(margin_rows(margin_filter), MARGIN_PER_PAGE).get_page(
                request.GET.get("page")
            )
            totals = margin_totals(margin_filter)
        return TemplateResponse(
            request,
            "admin/billers/margins.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Marjin per hari, penyedia dan produk"),
                "form": form,
                "filter": margin_filter,
                "environment_label": Environment(margin_filter.environment).label
                if margin_filter
                else "",
                "page": page,
                "totals": totals,
            },
        )


class MarginForm(DateRangeForm):
    default_days = 30
    max_days = 366

    environment = forms.ChoiceField(
        label=gettext_lazy("Environment"),
        choices=Environment.choices,
        required=False,
        initial=Environment.PRODUCTION,
    )
    provider = forms.ModelChoiceField(
        label=gettext_lazy("Penyedia"),
        queryset=Provider.objects.order_by("code"),
        required=False,
        empty_label=gettext_lazy("Semua penyedia"),
    )


# --- reconciliation -----------------------------------------------------------------------


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _transaction_link(obj) -> str:
    url = reverse("admin:billing_transaction_change", args=[obj.transaction_id])
    return format_html('<a href="{}">{}</a>', url, obj.transaction)


class MismatchInline(admin.TabularInline):
    model = ReconciliationMismatch
    fields = ("transaction_link", "kind", "ours", "theirs", "theirs_rc", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("transaction")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("transaksi"))
    def transaction_link(self, obj):
        return _transaction_link(obj)


class ReconcileRunForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=gettext_lazy("Penyedia"), queryset=Provider.objects.order_by("code")
    )
    day = forms.DateField(
        label=gettext_lazy("Tanggal transaksi"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    environment = forms.ChoiceField(
        label=gettext_lazy("Environment"), choices=Environment.choices
    )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
        return day


@admin.register(Reconciliation)
class ReconciliationAdmin(_ReadOnly):
    change_list_template = "admin/billers/reconciliation/change_list.html"
    list_display = (
        "day",
        "provider",
        "environment",
        "checked",
        "matched",
        "mismatched",
        "started_at",
        "finished_at",
        "requested_by",
    )
    list_filter = ("environment", "provider")
    date_hierarchy = "day"
    list_select_related = ("provider", "requested_by")
    inlines = [MismatchInline]
    actions = ["run_again"]

    def _may_run(self, request) -> bool:
        return request.user.has_perm("billers.add_reconciliation")

    @admin.action(description=gettext_lazy("Jalankan ulang rekonsiliasi terpilih"))
    def run_again(self, request, queryset):
        if not self._may_run(request):
            raise PermissionDenied
        runs = {(r.provider_id, r.day, r.environment) for r in queryset}
        for provider_id, day, environment in sorted(runs):
            task_enqueue(
                "billers.tasks.reconcile_one",
                provider_id,
                day.isoformat(),
                environment,
                request.user.pk,
            )
        self.message_user(
            request,
            _("%(count)d rekonsiliasi diantrekan.") % {"count": len(runs)},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "jalankan/",
                self.admin_site.admin_view(self.run_view),
                name="billers_reconciliation_run",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_run": self._may_run(request)}
        return super().changelist_view(request, extra_context)

    def run_view(self, request):
        """Run one reconciliation now (queued; at once where tasks run eagerly)."""
        if not self._may_run(request):
            raise PermissionDenied
        yesterday = timezone.localdate() - timedelta(days=1)
        form = ReconcileRunForm(
            request.POST or None,
            initial={"day": yesterday, "environment": Environment.PRODUCTION},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            task_enqueue(
                "billers.tasks.reconcile_one",
                data["provider"].pk,
                data["day"].isoformat(),
                data["environment"],
                request.user.pk,
            )
            self.message_user(
                request,
                _("Rekonsiliasi %(provider)s tanggal %(day)s diantrekan.")
                % {
                    "provider": data["provider"].code,
                    "day": data["day"].strftime("%d-%m-%Y"),
                },
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:billers_reconciliation_changelist")
            )
        return TemplateResponse(
            request,
            "admin/billers/reconciliation/run.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Jalankan rekonsiliasi"),
                "form": form,
            },
        )


@admin.register(ReconciliationMismatch)
class ReconciliationMismatchAdmin(_ReadOnly):
    list_display = (
        "reconciliation",
        "transaction_link",
        "kind",
        "ours",
        "theirs",
        "theirs_rc",
        "note",
    )
    list_filter = (
        "kind",
        "reconciliation__environment",
        "reconciliation__provider",
    )
    list_select_related = ("reconciliation", "transaction")
    search_fields = ("=transaction__reference_id", "=transaction__customer_number")
    show_full_result_count = False

    @admin.display(description=gettext_lazy("transaksi"))
    def transaction_link(self, obj):
        return _transaction_link(obj)
