"""The one period filter (Transaksi, Mutasi Deposit, Log API): defaults, order and length."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from portal.lib.forms import DateRangeForm


class WeekForm(DateRangeForm):
    default_days = 7
    max_days = 10


def _cleaned(**data):
    form = WeekForm(data)
    return form, form.is_valid()


def test_an_empty_period_is_the_last_default_days_up_to_today():
    form, valid = _cleaned()
    today = timezone.localdate()

    assert valid
    assert form.cleaned_data["date_to"] == today
    assert form.cleaned_data["date_from"] == today - timedelta(days=6)


def test_an_empty_start_counts_back_from_the_chosen_end():
    form, valid = _cleaned(date_to="2026-03-10")

    assert valid
    assert form.cleaned_data["date_from"] == date(2026, 3, 4)


def test_an_end_before_the_start_is_refused_on_the_end():
    form, valid = _cleaned(date_from="2026-03-10", date_to="2026-03-09")

    assert not valid
    assert form.errors["date_to"] == ["Tanggal akhir tidak boleh sebelum tanggal awal."]


@pytest.mark.parametrize(("days", "valid"), [(9, True), (10, False)])
def test_a_period_is_at_most_max_days_long(days, valid):
    start = date(2026, 3, 1)
    form, is_valid = _cleaned(
        date_from=start.isoformat(), date_to=(start + timedelta(days=days)).isoformat()
    )

    assert is_valid is valid
    if not valid:
        assert form.errors["date_from"] == ["Rentang tanggal maksimal 10 hari."]


def test_dates_out_of_the_calendar_the_service_knows_are_refused():
    form, valid = _cleaned(date_from="1999-12-31")

    assert not valid
    assert "date_from" in form.errors
