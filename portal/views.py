from django.shortcuts import render

from billing.charts import daily_chart
from billing.selectors import deposit_balances, transactions_daily, transactions_today
from portal.lib.access import Level, Menu, has_right, partner_required
from portal.lib.environments import Environment
from portal.selectors import onboarding_checklist


@partner_required(Menu.DASHBOARD)
def dashboard(request):
    """Gambar 13–14: Saldo Deposit, Status Akun, Transaksi Hari Ini, and the last 30 days.

    Production figures come first; the Development deposit is shown apart. A fixed number of
    queries, however many transactions the partner has.
    """
    partner = request.partner
    balances = deposit_balances(partner=partner)
    today = transactions_today(partner=partner)
    return render(
        request,
        "portal/dashboard.html",
        {
            "partner": partner,
            "profile_incomplete": partner.status == partner.Status.INCOMPLETE,
            "balance": balances[Environment.PRODUCTION],
            "dev_balance": balances[Environment.DEVELOPMENT],
            "today": today[Environment.PRODUCTION],
            "dev_today": today[Environment.DEVELOPMENT],
            "chart": daily_chart(transactions_daily(partner=partner)),
            "can_view_transactions": has_right(request.user, Menu.TRANSAKSI),
            "checklist": onboarding_checklist(
                partner=partner,
                user=request.user,
                production_balance=balances[Environment.PRODUCTION],
            ),
            # Deposits are only for an approved partner: until then the dashboard points to
            # Lengkapi Data instead of offering a button that would be refused.
            "can_topup": partner.status == partner.Status.ACTIVE
            and has_right(request.user, Menu.TRANSAKSI, Level.CHANGE),
        },
    )
