"""Menu Integrasi: Request UAT (Gambar 41–46) and Request Live (Gambar 47–48)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integration import selectors, services
from integration.downloads import evidence_response
from integration.forms import UatRequestForm
from integration.models import UatEvidence
from portal.lib.access import Level, Menu, has_right, partner_required
from portal.lib.client_ip import client_ip
from portal.lib.params import param_text
from products import selectors as product_selectors

PAGE_SIZE = 20


def _uat_or_404(request, pk: int):
    return get_object_or_404(selectors.uat_requests(partner=request.partner), pk=pk)


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _common(request, tab: str) -> dict:
    return {
        "tab": tab,
        "notice": product_selectors.partner_notice(request.partner),
        "can_change": has_right(request.user, Menu.INTEGRASI, Level.CHANGE),
    }


@require_GET
@partner_required(Menu.INTEGRASI)
def uat_list(request):
    page = _page(request, selectors.uat_requests(partner=request.partner))
    for uat in page:
        uat.can_request_live = selectors.can_request_live(uat)
        uat.can_edit = selectors.can_resubmit_uat(uat)
    return render(
        request, "integration/uat_list.html", {"page": page, **_common(request, "uat")}
    )


def _uat_form_view(request, uat=None):
    form = UatRequestForm(
        request.POST or None,
        request.FILES or None,
        partner=request.partner,
        uat_request=uat,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.uat_request_submit(
                partner=request.partner,
                product=form.cleaned_data["product"],
                evidence=form.evidence(),
                api_calls=form.cleaned_data["api_calls"],
                detach_calls=form.cleaned_data["detach_calls"],
                actor=request.user,
                ip=client_ip(request),
            )
        except services.IntegrationError as exc:
            for kind, error in exc.errors.items():
                form.add_error(form.file_field(kind), error)
            messages.error(request, exc.message)
        else:
            form.kept_uploads_discard()
            messages.success(
                request, _("Data berhasil disimpan. Request UAT menunggu approval.")
            )
            return redirect("integration:uat_list")
    if form.kept_uploads:
        messages.info(
            request,
            _(
                "File yang diterima disimpan sementara: cukup pilih ulang file yang "
                "ditolak atau belum diunggah."
            ),
        )
    product = uat.product if uat else _chosen_product(request, form)
    return render(
        request,
        "integration/uat_form.html",
        {
            "form": form,
            "uat": uat,
            "evidence": {item.kind: item for item in uat.evidence.all()} if uat else {},
            **_calls_context(request, product=product, uat=uat, form=form),
            **_common(request, "uat"),
        },
    )


def _chosen_product(request, form):
    """The product picked in a bound Tambah form, if the partner may file its UAT."""
    code = param_text(form.data, "product") if form.is_bound else None
    if not code:
        return None
    return selectors.uat_products(partner=request.partner).filter(code=code).first()


def _calls_context(request, *, product, uat=None, form=None) -> dict:
    """What ``_api_calls.html`` shows: the calls attached to ``uat`` (correction), and the
    partner's latest Development calls of ``product`` to tick, with the ticks kept."""
    attached = list(selectors.attached_calls(uat_request=uat)) if uat else []
    calls = []
    if product is not None:
        calls = selectors.development_calls(
            partner=request.partner,
            product=product,
            exclude=[call.api_log_id for call in attached if call.api_log_id],
        )
    return {
        "calls_product": product,
        "calls": calls,
        "attached_calls": attached,
        "ticked": set(form.ticked("api_calls")) if form else set(),
        "detached": set(form.ticked("detach_calls")) if form else set(),
        "calls_errors": form.errors.get("api_calls")
        if form and form.is_bound
        else None,
    }


@require_http_methods(["GET", "POST"])
@partner_required(Menu.INTEGRASI, Level.CHANGE)
def uat_add(request):
    """Tambah: kategori, produk, and the evidence of the partner's Development tests."""
    notice = product_selectors.partner_notice(request.partner)
    if notice:
        messages.error(request, notice)
        return redirect("integration:uat_list")
    return _uat_form_view(request)


@require_http_methods(["GET", "POST"])
@partner_required(Menu.INTEGRASI, Level.CHANGE)
def uat_edit(request, pk: int):
    """Correct a rejected request and send it again."""
    uat = _uat_or_404(request, pk)
    if not selectors.can_resubmit_uat(uat):
        messages.error(
            request,
            _("Request UAT ini tidak dapat diubah: statusnya %(status)s.")
            % {"status": uat.get_review_status_display()},
        )
        return redirect("integration:uat_detail", pk=uat.pk)
    return _uat_form_view(request, uat)


@require_GET
@partner_required(Menu.INTEGRASI, Level.CHANGE)
def uat_products(request):
    """htmx: the product options of the chosen category."""
    products = selectors.uat_products(
        partner=request.partner, category=param_text(request.GET, "category") or None
    )
    return render(request, "integration/_product_options.html", {"products": products})


@require_GET
@partner_required(Menu.INTEGRASI, Level.CHANGE)
def uat_api_calls(request):
    """htmx: the partner's latest Development calls of the chosen product, to attach."""
    code = param_text(request.GET, "product")
    product = None
    if code:
        product = (
            selectors.uat_products(partner=request.partner).filter(code=code).first()
        )
    return render(
        request,
        "integration/_api_calls.html",
        _calls_context(request, product=product),
    )


@require_GET
@partner_required(Menu.INTEGRASI)
def uat_detail(request, pk: int):
    uat = _uat_or_404(request, pk)
    uat.can_request_live = selectors.can_request_live(uat)
    return render(
        request,
        "integration/uat_detail.html",
        {
            "uat": uat,
            "evidence": uat.evidence.all(),
            "api_calls": selectors.attached_calls(uat_request=uat),
            "can_edit": selectors.can_resubmit_uat(uat),
            **_common(request, "uat"),
        },
    )


@require_GET
@partner_required(Menu.INTEGRASI)
def evidence_download(request, pk: int, evidence_pk: int):
    evidence = get_object_or_404(
        UatEvidence.objects.select_related("uat_request__product"),
        pk=evidence_pk,
        uat_request_id=pk,
        uat_request__partner=request.partner,
    )
    try:
        return evidence_response(evidence)
    except FileNotFoundError:
        raise Http404 from None


@require_GET
@partner_required(Menu.INTEGRASI)
def live_list(request):
    """Request Live: approved UATs, each with its live request or the button to send one."""
    page = _page(request, selectors.live_candidates(partner=request.partner))
    for uat in page:
        uat.can_request_live = selectors.can_request_live(uat)
    return render(
        request,
        "integration/live_list.html",
        {
            "page": page,
            "production_ip": selectors.production_ip_approved(partner=request.partner),
            **_common(request, "live"),
        },
    )


@require_POST
@partner_required(Menu.INTEGRASI, Level.CHANGE)
def live_request(request, pk: int):
    """Ya in the Konfirmasi Request Live dialog."""
    uat = _uat_or_404(request, pk)
    try:
        services.live_request_submit(
            uat_request=uat, actor=request.user, ip=client_ip(request)
        )
    except services.IntegrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Proses Berhasil"))
    return redirect("integration:live_list")
