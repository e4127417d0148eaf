"""The dashboard's 30-day chart, laid out on the server as plain numbers for an inline SVG:
no chart library, no outside service, and it renders with JavaScript switched off."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from billing.formatting import format_rupiah
from billing.models import Transaction
from billing.selectors import DayFigures

WIDTH = 720
HEIGHT = 240
LEFT = 64
RIGHT = 8
TOP = 12
BOTTOM = 28
COLORS = {"sukses": "#198754", "pending": "#fd7e14", "gagal": "#dc3545"}
VALUE_COLOR = "#0b5ed7"


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str


@dataclass
class Bar:
    label: str
    title: str
    rects: list[Rect]


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class XLabel:
    x: float
    label: str


@dataclass
class Row:
    label: str
    count: int
    value: int


@dataclass
class Series:
    bars: list[Bar]
    ticks: list[Tick]

    @property
    def markup(self) -> SafeString:
        """The bars as SVG, each a ``<g>`` with its tooltip and its rectangles. Written
        here rather than by template loops: about 120 rectangles of 5 numbers each made
        the template's lookups a quarter of the dashboard's CPU (README "Performance")."""
        return format_html_join(
            "",
            "<g><title>{}</title>{}</g>",
            (
                (
                    bar.title,
                    format_html_join(
                        "",
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                        ((r.x, r.y, r.width, r.height, r.color) for r in bar.rects),
                    ),
                )
                for bar in self.bars
            ),
        )


@dataclass
class Chart:
    width: int
    height: int
    left: int
    plot_right: int
    baseline: float
    counts: Series
    values: Series
    x_labels: list[XLabel]
    rows: list[Row]
    has_data: bool


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ that is at least ``value`` (and at least 1)."""
    if value <= 1:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * exponent >= value:
            return int(step * exponent)
    return int(10 * exponent)  # pragma: no cover - the loop always returns


def _short_number(value: int) -> str:
    if value >= 1_000_000_000:
        return f"{value / 1_000_000_000:g} M"
    if value >= 1_000_000:
        return f"{value / 1_000_000:g} jt"
    if value >= 1_000:
        return f"{value / 1_000:g} rb"
    return str(value)


def _ticks(top: int, plot_height: float, baseline: float, money: bool) -> list[Tick]:
    # ``top`` is 1, 2 or 5 × 10ⁿ, so these steps always give whole-number labels.
    steps = 5 if top % 5 == 0 else 2 if top % 2 == 0 else 1
    return [
        Tick(
            y=round(baseline - plot_height * i / steps, 1),
            label=_short_number(top * i // steps) if money else str(top * i // steps),
        )
        for i in range(steps + 1)
    ]


def daily_chart(days: list[DayFigures]) -> Chart:
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    slot = plot_width / max(len(days), 1)
    bar_width = round(slot * 0.7, 1)
    top_count = nice_ceiling(max((d.count for d in days), default=0))
    top_value = nice_ceiling(max((d.value for d in days), default=0))

    count_bars, value_bars, x_labels = [], [], []
    # Translated once, not for every day of every status.
    names = {status: label.lower() for status, label in Transaction.Status.choices}
    for i, day in enumerate(days):
        x = round(LEFT + i * slot + (slot - bar_width) / 2, 1)
        label = date_format(day.day, "j M")
        detail = ", ".join(
            f"{names[status]} {figures.count}"
            for status, figures in day.by_status.items()
        )
        rects, y = [], baseline
        for status, figures in day.by_status.items():
            if not figures.count:
                continue
            height = round(plot_height * figures.count / top_count, 1)
            y = round(y - height, 1)
            rects.append(Rect(x, y, bar_width, height, COLORS.get(status, "#6c757d")))
        count_bars.append(
            Bar(
                label,
                _("%(day)s: %(count)s transaksi (%(detail)s)")
                % {"day": label, "count": day.count, "detail": detail},
                rects,
            )
        )
        value_height = round(plot_height * day.value / top_value, 1)
        value_bars.append(
            Bar(
                label,
                _("%(day)s: %(value)s (sukses)")
                % {"day": label, "value": format_rupiah(day.value)},
                [
                    Rect(
                        x,
                        round(baseline - value_height, 1),
                        bar_width,
                        value_height,
                        VALUE_COLOR,
                    )
                ]
                if day.value
                else [],
            )
        )
        if i % 5 == 0 or i == len(days) - 1:
            x_labels.append(XLabel(round(x + bar_width / 2, 1), label))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        plot_right=WIDTH - RIGHT,
        baseline=baseline,
        counts=Series(count_bars, _ticks(top_count, plot_height, baseline, False)),
        values=Series(value_bars, _ticks(top_value, plot_height, baseline, True)),
        x_labels=x_labels,
        rows=[
            Row(date_format(d.day, "j M Y"), d.count, d.value) for d in reversed(days)
        ],
        has_data=any(d.count for d in days),
    )
