"""The Dokumentasi sub-menu of Pengaturan Koneksi (manual 8B, Gambar 22–35).

Open to a user with the KONEKSI view right once the partner has an approved connection entry;
before that every page (and download) explains why it is closed and links to Koneksi.
"""

from __future__ import annotations

import json
from functools import wraps

import yaml
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from docs_content import selectors
from docs_content.blocks import BlockContext, builder
from docs_content.openapi_doc import openapi_document
from docs_content.postman import postman_collection
from docs_content.rendering import render as render_page
from docs_content.sections import BY_SLUG, FIRST, PRODUCTS, SECTIONS, Section
from portal.lib.access import Level, Menu, partner_required
from products.models import Category


def docs_required(view):
    """KONEKSI view right, then an approved connection entry (else the "closed" page)."""

    @partner_required(Menu.KONEKSI, Level.VIEW)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        partner = request.partner
        if not selectors.docs_open(partner):
            return render(
                request,
                "docs_content/closed.html",
                {"reason": selectors.closed_reason(partner)},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


def _page(request, section: Section, *, category: Category | None = None):
    context = BlockContext(
        values=selectors.dev_values(request.partner),
        base_url=settings.SITE_URL,
        selected_category=category,
    )
    html, toc = render_page(section, builder(context))
    return render(
        request,
        "docs_content/page.html",
        {
            "sections": SECTIONS,
            "section": section,
            "content": html,
            "toc": toc,
            "values": context.values,
        },
    )


@require_GET
@docs_required
def index(request):
    """The first page, Revisi, as the manual opens the sub-menu (Gambar 23)."""
    return _page(request, FIRST)


@require_GET
@docs_required
def section(request, slug: str):
    found = BY_SLUG.get(slug)
    if found is None:
        raise Http404(_("Halaman dokumentasi tidak ditemukan."))
    return _page(request, found)


@require_GET
@docs_required
def products(request, category: str):
    """Daftar Produk (Gambar 33): the products of the chosen category beside the list; htmx
    asks for the table only."""
    chosen = get_object_or_404(Category, slug=category)
    # A history restore asks for the whole page again, not for the partial.
    if request.htmx and not request.htmx.history_restore_request:
        return render(
            request,
            "docs_content/blocks/_products.html",
            {
                "selected": chosen,
                "products": selectors.category_products(chosen),
            },
        )
    return _page(request, PRODUCTS, category=chosen)


def _download(text: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@docs_required
def openapi_json(request):
    return _download(
        json.dumps(openapi_document(), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        filename="web-open-api.openapi.json",
    )


@require_GET
@docs_required
def openapi_yaml(request):
    return _download(
        yaml.safe_dump(openapi_document(), allow_unicode=True, sort_keys=False),
        content_type="application/yaml; charset=utf-8",
        filename="web-open-api.openapi.yaml",
    )


@require_GET
@docs_required
def postman(request):
    collection = postman_collection(selectors.dev_values(request.partner))
    return _download(
        json.dumps(collection, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        filename="web-open-api.postman_collection.json",
    )
