"""Back-office of the catalogue: search, filters, bulk status, CSV price import and export."""

import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.client_ip import client_ip
from products import selectors, services
from products.forms import PriceImportForm
from products.models import Category, PartnerProduct, Product


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "group_code", "position", "product_count")
    ordering = ("position",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return selectors.categories()

    @admin.display(description=gettext_lazy("jumlah produk"), ordering="product_count")
    def product_count(self, obj):
        return obj.product_count


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def _safe_cell(value: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    return f"'{value}" if value[:1] in ("=", "+", "@") else value


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """The catalogue's products. Their providers, in the order they are tried, are an
    inline that billers.admin adds (the catalogue knows nothing of billers)."""

    change_list_template = "admin/products/product/change_list.html"
    list_display = (
        "code",
        "name",
        "category",
        "kind",
        "operator",
        "price",
        "admin_fee",
        "status",
        "updated_at",
    )
    list_display_links = ("code", "name")
    list_filter = ("category", "status", "kind", "operator")
    search_fields = ("code", "name")
    list_select_related = ("category",)
    list_per_page = 50
    readonly_fields = ("updated_at",)
    actions = ["mark_active", "mark_disrupted", "mark_maintenance"]

    def save_model(self, request, obj, form, change):
        services.product_save(
            product=obj,
            changed=list(form.changed_data),
            actor=request.user,
            ip=client_ip(request),
        )

    def _set_status(self, request, queryset, status) -> None:
        changed = services.product_status_set(
            products=queryset, status=status, actor=request.user, ip=client_ip(request)
        )
        self.message_user(
            request,
            _("Status %(count)d produk diubah menjadi %(status)s.")
            % {"count": changed, "status": Product.Status(status).label},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Ubah status terpilih menjadi Aktif"))
    def mark_active(self, request, queryset):
        self._set_status(request, queryset, Product.Status.ACTIVE)

    @admin.action(description=gettext_lazy("Ubah status terpilih menjadi Gangguan"))
    def mark_disrupted(self, request, queryset):
        self._set_status(request, queryset, Product.Status.DISRUPTED)

    @admin.action(description=gettext_lazy("Ubah status terpilih menjadi Maintenance"))
    def mark_maintenance(self, request, queryset):
        self._set_status(request, queryset, Product.Status.MAINTENANCE)

    def get_urls(self):
        return [
            path(
                "impor-harga/",
                self.admin_site.admin_view(self.import_view),
                name="products_product_import",
            ),
            path(
                "ekspor-harga/",
                self.admin_site.admin_view(self.export_view),
                name="products_product_export",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a price CSV; report how many rows were updated and which were refused."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = PriceImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = services.product_prices_import(
                rows=form.cleaned_data["file"],
                actor=request.user,
                ip=client_ip(request),
            )
            level = messages.WARNING if result.refused else messages.SUCCESS
            self.message_user(
                request,
                _(
                    "Impor selesai: %(updated)d baris diperbarui, %(unchanged)d tidak "
                    "berubah, %(refused)d ditolak."
                )
                % {
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "refused": len(result.refused),
                },
                level,
            )
        return TemplateResponse(
            request,
            "admin/products/product/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Impor harga produk"),
                "form": form,
                "result": result,
                "changelist_url": reverse("admin:products_product_changelist"),
            },
        )

    def export_view(self, request):
        """Stream the whole price list as CSV (the same columns the import reads)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        writer = csv.writer(_Echo())
        rows = (
            writer.writerow([_safe_cell(cell) for cell in row])
            for row in selectors.catalogue_csv_rows()
        )
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        filename = f"katalog-harga-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@admin.register(PartnerProduct)
class PartnerProductAdmin(admin.ModelAdmin):
    """Read-only: the state moves only through UAT and live decisions."""

    list_display = ("partner", "product", "state", "state_reason", "state_changed_at")
    list_filter = ("state", "product__category")
    search_fields = ("partner__code", "partner__name", "product__code", "product__name")
    list_select_related = ("partner", "product")
    readonly_fields = (
        "partner",
        "product",
        "state",
        "state_reason",
        "chosen_at",
        "state_changed_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
