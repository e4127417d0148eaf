"""Menu Produk: Tambah Produk (choose from the catalogue) and Produk Anda (chosen products)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.lib.access import Level, Menu, has_right, partner_required
from portal.lib.client_ip import client_ip
from products import selectors, services
from products.forms import CategoryForm, ChooseProductsForm, PartnerProductFilterForm
from products.models import PartnerProduct

PAGE_SIZE = 25


def _index_url(category) -> str:
    url = reverse("products:index")
    return f"{url}?{urlencode({'category': category.slug})}" if category else url


def _index_context(request, category, *, checked=()) -> dict:
    partner = request.partner
    return {
        "form": CategoryForm(initial={"category": category}),
        "category": category,
        "products": (
            selectors.products_available(partner=partner, category=category)
            if category
            else None
        ),
        "checked": set(checked),
        "notice": selectors.partner_notice(partner),
        "can_change": has_right(request.user, Menu.PRODUK, Level.CHANGE),
        "tab": "add",
    }


@require_GET
@partner_required(Menu.PRODUK)
def index(request):
    """Tambah Produk (Gambar 37–39). An htmx request gets only the product list."""
    form = CategoryForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_valid() else None
    context = _index_context(request, category)
    if request.htmx:
        return render(request, "products/_available.html", context)
    return render(request, "products/index.html", context)


@require_POST
@partner_required(Menu.PRODUK, Level.CHANGE)
def choose(request):
    """Simpan: store the checked products; on a refusal the page keeps the ticks."""
    form = ChooseProductsForm(request.POST)
    if form.is_valid():
        category = form.cleaned_data["category"]
        try:
            services.partner_products_choose(
                partner=request.partner,
                products=form.cleaned_data["products"],
                actor=request.user,
                ip=client_ip(request),
            )
        except services.ProductError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Data berhasil disimpan"))
            return redirect(_index_url(category))
    else:
        category = form.cleaned_data.get("category")
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    context = _index_context(
        request, category, checked=request.POST.getlist("products")
    )
    return render(request, "products/index.html", context)


@require_GET
@partner_required(Menu.PRODUK)
def mine(request):
    """Produk Anda (Gambar 40, 49): chosen products and their state, filtered and paginated."""
    form = PartnerProductFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    category = filters.get("category")
    rows = selectors.partner_products(
        partner=request.partner,
        category=category.slug if category else None,
        state=filters.get("state") or None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "products/mine.html",
        {
            "form": form,
            "page": page,
            "can_change": has_right(request.user, Menu.PRODUK, Level.CHANGE),
            "tab": "mine",
        },
    )


@require_POST
@partner_required(Menu.PRODUK, Level.CHANGE)
def remove(request, pk: int):
    partner_product = get_object_or_404(
        PartnerProduct.objects.select_related("product"), pk=pk, partner=request.partner
    )
    try:
        services.partner_product_remove(
            partner_product=partner_product, actor=request.user, ip=client_ip(request)
        )
    except services.ProductError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Produk %(product)s dihapus dari daftar Anda.")
            % {"product": partner_product.product},
        )
    return redirect("products:mine")
