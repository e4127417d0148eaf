from datetime import datetime, time, timedelta

from django.urls import reverse

from accounts.models import Partner
from billing.charts import Bar, Rect, Series
from billing.selectors import LOCAL_TZ, local_today
from billing.tests.factories import TransactionFactory, deposit_fund
from portal.lib.environments import Environment

URL = reverse("portal:dashboard")


def _today_at(hour, minute=0):
    return datetime.combine(local_today(), time(hour, minute), tzinfo=LOCAL_TZ)


def test_empty_deposit_shows_the_topup_hint(owner_client):
    page = owner_client.get(URL).content.decode()
    assert "Rp 0" in page
    assert "Silakan top up deposit" in page
    assert reverse("billing:topup_create") in page


def test_a_filled_deposit_shows_its_balance_without_the_hint(owner_client, partner):
    deposit_fund(partner, 1_250_000)
    deposit_fund(partner, 3_000_000, Environment.DEVELOPMENT)
    response = owner_client.get(URL)
    page = response.content.decode()
    assert response.context["balance"] == 1_250_000
    assert "Rp 1.250.000" in page
    assert "Silakan top up deposit" not in page
    assert response.context["dev_balance"] == 3_000_000
    assert "Rp 3.000.000" in page
    # The checklist takes the Production balance the page read: its deposit step is done.
    steps = {step.key: step for step in response.context["checklist"].steps}
    assert steps["deposit"].is_done


def test_today_counts_and_values_by_status_on_the_jakarta_day(owner_client, partner):
    TransactionFactory(
        partner=partner, status="sukses", total=10_000, created_at=_today_at(0, 5)
    )
    TransactionFactory(
        partner=partner, status="sukses", total=20_000, created_at=_today_at(23, 55)
    )
    TransactionFactory(
        partner=partner, status="gagal", total=5_000, created_at=_today_at(9)
    )
    # 23:59 yesterday in Jakarta is not today, though it is the same UTC date.
    TransactionFactory(
        partner=partner,
        status="sukses",
        total=99_000,
        created_at=_today_at(0) - timedelta(minutes=1),
    )
    TransactionFactory(
        partner=partner, environment=Environment.DEVELOPMENT, created_at=_today_at(9)
    )
    today = owner_client.get(URL).context["today"]
    assert today.count == 3
    assert today.total == 35_000
    assert today.by_status["sukses"].count == 2
    assert today.by_status["sukses"].total == 30_000
    assert today.by_status["gagal"].count == 1
    assert today.by_status["pending"].count == 0


def test_chart_of_the_last_30_days_is_inline_svg(owner_client, partner):
    TransactionFactory(
        partner=partner, status="sukses", total=10_000, created_at=_today_at(9)
    )
    TransactionFactory(partner=partner, status="pending", created_at=_today_at(9))
    TransactionFactory(partner=partner, created_at=_today_at(9) - timedelta(days=31))
    response = owner_client.get(URL)
    chart = response.context["chart"]
    assert len(chart.counts.bars) == 30
    assert len(chart.counts.bars[-1].rects) == 2
    assert chart.rows[0].count == 2
    assert chart.rows[0].value == 10_000
    assert sum(row.count for row in chart.rows) == 2
    page = response.content.decode()
    assert "<svg" in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    # Coordinates are never written with a decimal comma, whatever the language.
    assert 'y="' in page and ',5"' not in page
    assert "js/billing-chart.js" in page


def test_the_page_draws_every_bar_of_both_series(owner_client, partner):
    TransactionFactory(
        partner=partner, status="sukses", total=10_000, created_at=_today_at(9)
    )
    TransactionFactory(partner=partner, status="gagal", created_at=_today_at(10))
    response = owner_client.get(URL)
    chart = response.context["chart"]
    svg = response.content.decode().split("<svg", 1)[1].split("</svg>", 1)[0]
    counts, values = svg.split('data-series="value"')
    last = chart.counts.bars[-1]
    assert counts.count("<rect ") == sum(len(b.rects) for b in chart.counts.bars) == 2
    assert values.count("<rect ") == 1  # the value of the success alone
    assert f"<title>{last.title}</title>" in counts
    rect = last.rects[0]
    assert (
        f'<rect x="{rect.x}" y="{rect.y}" width="{rect.width}" '
        f'height="{rect.height}" fill="{rect.color}"/>'
    ) in counts
    assert counts.count("<g><title>") == values.count("<g><title>") == 30


def test_a_bar_title_is_escaped():
    series = Series([Bar("1 Des", "<b>1 Des</b> & co", [Rect(1, 2, 3, 4, "#fff")])], [])
    assert series.markup == (
        "<g><title>&lt;b&gt;1 Des&lt;/b&gt; &amp; co</title>"
        '<rect x="1" y="2" width="3" height="4" fill="#fff"/></g>'
    )


def test_the_lengkapi_data_notice_still_shows_for_an_incomplete_profile(
    owner_client, partner
):
    Partner.objects.filter(pk=partner.pk).update(status=Partner.Status.INCOMPLETE)
    page = owner_client.get(URL).content.decode()
    assert "Lengkapi Data" in page
    assert "Belum lengkap" in page


def test_sandbox_button_for_users_who_may_change(owner_client):
    page = owner_client.get(URL).content.decode()
    assert reverse("billing:sandbox_fund") in page


def test_no_sandbox_button_before_the_partner_is_approved(owner_client, partner):
    Partner.objects.filter(pk=partner.pk).update(status=Partner.Status.PENDING)
    page = owner_client.get(URL).content.decode()
    assert reverse("billing:sandbox_fund") not in page
