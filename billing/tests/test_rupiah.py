from django.template import Context, Template

from billing.formatting import format_rupiah


def test_rupiah_uses_dots_between_thousands():
    assert format_rupiah(1_250_000) == "Rp 1.250.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(999) == "Rp 999"


def test_negative_and_missing_amounts():
    assert format_rupiah(-5_000) == "-Rp 5.000"
    assert format_rupiah(None) == "-"
    assert format_rupiah("abc") == "-"


def test_template_filters():
    rendered = Template(
        "{% load rupiah %}{{ a|rupiah }} {{ b|rupiah_signed }} {{ c|rupiah_signed }}"
    ).render(Context({"a": 1250000, "b": 100000, "c": -7500}))
    assert rendered == "Rp 1.250.000 +Rp 100.000 -Rp 7.500"
