"""Menu TRANSAKSI: the transaction report (Webreport), the deposit statement (Mutasi
Deposit), top-ups and the Development sandbox funds. Every query starts from
``request.partner``; another partner's object is a 404."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing import exports, selectors, services
from billing.formatting import format_rupiah
from billing.forms import LedgerFilterForm, ProofForm, TopUpForm, TransactionFilterForm
from billing.models import BankAccount, TopUp, Transaction
from portal.lib.access import Level, Menu, has_right, partner_required
from portal.lib.client_ip import client_ip
from portal.lib.environments import Environment
from portal.lib.params import safe_next
from portal.lib.uploads import serve_private_file
from products.selectors import categories as product_categories

PER_PAGE = 25


class CountedPaginator(Paginator):
    """A paginator told its count by the totals query, so a page costs one query less."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _page(request, queryset, count: int):
    return CountedPaginator(queryset, PER_PAGE, count=count).get_page(
        request.GET.get("page")
    )


def _context(request, **extra) -> dict:
    return {
        "can_change": has_right(request.user, Menu.TRANSAKSI, Level.CHANGE),
        **extra,
    }


# --- transaksi ----------------------------------------------------------------------------


@require_GET
@partner_required(Menu.TRANSAKSI)
def transactions(request):
    form = TransactionFilterForm.bound(request.GET)
    qs = selectors.transactions_for(partner=request.partner, filters=form.filters())
    totals = selectors.transaction_totals(qs)
    return render(
        request,
        "billing/transactions.html",
        _context(
            request,
            form=form,
            filters=form.filters(),
            totals=totals,
            page=_page(request, qs, totals.count),
            categories=[category.name for category in product_categories()],
            tab="transactions",
        ),
    )


@require_GET
@partner_required(Menu.TRANSAKSI)
def transaction_detail(request, pk: int):
    transaction = get_object_or_404(Transaction, pk=pk, partner=request.partner)
    return render(
        request,
        "billing/transaction_detail.html",
        _context(
            request,
            transaction=transaction,
            request_json=json.dumps(transaction.request, indent=2, ensure_ascii=False),
            response_json=json.dumps(transaction.response, indent=2, ensure_ascii=False)
            if transaction.response is not None
            else "",
            tab="transactions",
        ),
    )


@require_GET
@partner_required(Menu.TRANSAKSI)
def transactions_export(request):
    filters = TransactionFilterForm.bound(request.GET).filters()
    qs = selectors.transactions_for(partner=request.partner, filters=filters)
    return exports.stream_csv(
        header=[label for _name, label in exports.TRANSACTION_COLUMNS],
        rows=exports.transaction_rows(qs),
        filename=f"transaksi-{filters.environment}-{filters.date_from:%Y%m%d}-"
        f"{filters.date_to:%Y%m%d}.csv",
    )


# --- mutasi deposit -----------------------------------------------------------------------


@require_GET
@partner_required(Menu.TRANSAKSI)
def mutasi(request):
    form = LedgerFilterForm.bound(request.GET)
    filters = form.filters()
    statement = selectors.ledger_statement(partner=request.partner, filters=filters)
    return render(
        request,
        "billing/mutasi.html",
        _context(
            request,
            form=form,
            filters=filters,
            statement=statement,
            page=_page(request, statement.entries, statement.count),
            is_development=filters.environment == Environment.DEVELOPMENT,
            tab="mutasi",
        ),
    )


@require_GET
@partner_required(Menu.TRANSAKSI)
def mutasi_export(request):
    filters = LedgerFilterForm.bound(request.GET).filters()
    entries = selectors.ledger_entries_for(partner=request.partner, filters=filters)
    return exports.stream_csv(
        header=[label for _name, label in exports.LEDGER_COLUMNS],
        rows=exports.ledger_rows(entries),
        filename=f"mutasi-{filters.environment}-{filters.date_from:%Y%m%d}-"
        f"{filters.date_to:%Y%m%d}.csv",
    )


@require_POST
@partner_required(Menu.TRANSAKSI, Level.CHANGE)
def sandbox_fund(request):
    # Where to go is settled before any money moves: a failure after the credit would make
    # the partner's retry credit twice.
    target = safe_next(request, request.POST.get("next")) or reverse("billing:mutasi")
    try:
        entry = services.deposit_sandbox_fund(
            partner=request.partner, actor=request.user, ip=client_ip(request)
        )
        messages.success(
            request,
            _("Saldo sandbox bertambah %(amount)s. Saldo Development sekarang %(bal)s.")
            % {
                "amount": format_rupiah(entry.amount),
                "bal": format_rupiah(entry.balance_after),
            },
        )
    except services.BillingError as exc:
        messages.warning(request, exc.message)
    return redirect(target)


# --- top up -------------------------------------------------------------------------------


@require_GET
@partner_required(Menu.TRANSAKSI, Level.CHANGE)
def topups(request):
    qs = selectors.topups_for(partner=request.partner)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/topups.html",
        _context(
            request,
            page=page,
            balance=selectors.deposit_balance(
                partner=request.partner, environment=Environment.PRODUCTION
            ),
            tab="topups",
        ),
    )


@require_http_methods(["GET", "POST"])
@partner_required(Menu.TRANSAKSI, Level.CHANGE)
def topup_create(request):
    form = TopUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topup = services.topup_request(
                partner=request.partner,
                actor=request.user,
                amount=form.cleaned_data["amount"],
                bank_account=form.cleaned_data["bank_account"],
                ip=client_ip(request),
            )
        except services.BillingError as exc:
            field = exc.code if exc.code in form.fields else None
            form.add_error(field, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Permintaan top up dibuat. Silakan transfer sesuai instruksi berikut."
                ),
            )
            return redirect("billing:topup_detail", pk=topup.pk)
    return render(
        request,
        "billing/topup_form.html",
        _context(
            request,
            form=form,
            has_bank_accounts=BankAccount.objects.filter(is_active=True).exists(),
            tab="topups",
        ),
    )


def _topup_of(request, pk: int) -> TopUp:
    return get_object_or_404(
        TopUp.objects.select_related("bank_account"), pk=pk, partner=request.partner
    )


@require_GET
@partner_required(Menu.TRANSAKSI, Level.CHANGE)
def topup_detail(request, pk: int):
    topup = _topup_of(request, pk)
    return _render_topup(request, topup, ProofForm())


def _render_topup(request, topup: TopUp, proof_form: ProofForm, status: int = 200):
    return render(
        request,
        "billing/topup_detail.html",
        _context(
            request,
            topup=topup,
            proof_form=proof_form,
            tab="topups",
        ),
        status=status,
    )


@require_POST
@partner_required(Menu.TRANSAKSI, Level.CHANGE)
def topup_proof_upload(request, pk: int):
    topup = _topup_of(request, pk)
    form = ProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.topup_proof_upload(
                topup=topup,
                proof=form.cleaned_data["proof"],
                actor=request.user,
                ip=client_ip(request),
            )
        except services.BillingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Bukti transfer berhasil diunggah. Tim kami akan segera memeriksanya."
                ),
            )
            return redirect("billing:topup_detail", pk=topup.pk)
    return _render_topup(request, topup, form, status=400)


@require_GET
@partner_required(Menu.TRANSAKSI, Level.CHANGE)
def topup_proof_file(request, pk: int):
    topup = _topup_of(request, pk)
    if not topup.proof:
        raise Http404
    return serve_private_file(topup.proof, download_name=f"bukti-topup-{topup.pk}")
