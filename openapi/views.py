"""The Open API paths (plain Django views: the gateway does authentication, checks and
logging), the trivial ``/ping``, and the partner's Log API pages."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from openapi import gateway, selectors, services
from openapi.forms import ApiLogFilterForm
from openapi.models import ApiLog
from openapi.services import commands
from portal.lib.access import Menu, partner_required

LOG_PER_PAGE = 50


def _api_view(handler, *, needs_session: bool = True, parse=None):
    @csrf_exempt
    def view(request):
        return gateway.handle(
            request, handler, needs_session=needs_session, parse=parse
        )

    view.__name__ = view.__qualname__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


sign_on = _api_view(services.sign_on, needs_session=False)
inquiry = _api_view(services.inquiry, parse=commands.inquiry_parse)
payment = _api_view(services.payment, parse=commands.payment_parse)
single_payment = _api_view(services.single_payment, parse=commands.single_payment_parse)
check_status = _api_view(
    services.check_status, needs_session=False, parse=commands.status_parse
)
pulsa_prices = _api_view(services.pulsa_prices)
price_by_product = _api_view(services.price_by_product)
deposit = _api_view(services.deposit)
active_product = _api_view(services.active_product)
product_list = _api_view(services.product_list)
unknown = csrf_exempt(gateway.unknown_path)


@csrf_exempt
def ping(request):
    """The cheapest JSON answer of the stack (no database): health checks and the bench."""
    return JsonResponse({"status": "ok"})


@csrf_exempt
@require_POST
def provider_callback(request, code: str):
    """An upstream provider tells the final status of a pending payment (its signature is
    checked by the provider's adapter)."""
    if not services.pending_callback(
        provider_code=code, headers=request.headers, body=request.body
    ):
        return JsonResponse({"status": "rejected"}, status=403)
    return JsonResponse({"status": "ok"})


# --- Log API (menu Koneksi) ---------------------------------------------------------------


@require_GET
@partner_required(Menu.KONEKSI)
def log_list(request):
    form = ApiLogFilterForm.bound(request.GET)
    filters = form.filters()
    rows = selectors.api_logs(partner=request.partner, filters=filters)
    page = Paginator(rows, LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "openapi/log_list.html",
        {"form": form, "filters": filters, "page": page},
    )


@require_GET
@partner_required(Menu.KONEKSI)
def log_detail(request, pk: int):
    log = get_object_or_404(ApiLog, pk=pk, partner=request.partner)
    return render(
        request,
        "openapi/log_detail.html",
        {
            "log": log,
            "request_json": json.dumps(log.request, indent=2, ensure_ascii=False),
            "response_json": json.dumps(log.response, indent=2, ensure_ascii=False),
        },
    )
