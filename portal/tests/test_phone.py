"""normalize_phone: one stored form, +628…, for the ways people write a mobile number."""

import pytest

from portal.lib.phone import looks_like_phone, normalize_phone


@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812 3456 7890",
        "0812-3456-7890",
        "0812.3456.7890",
        "(0812) 3456-7890",
        "6281234567890",
        "+6281234567890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
    ],
)
def test_every_usual_spelling_becomes_plus_628(typed):
    assert normalize_phone(typed) == "+6281234567890"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        None,
        "0215551234",  # landline
        "+62 21 555 1234",
        "+6208123456789",  # a 0 after the country code
        "+12025550143",
        "0812345",  # too short
        "08123456789012345",  # too long
        "0812３４５６７８９０",  # full-width digits
        "٠٨١٢٣٤٥٦٧٨٩٠",  # Arabic-Indic digits
        "0812-3456-789O",
    ],
)
def test_anything_else_is_not_a_mobile_number(typed):
    assert normalize_phone(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0812 3456 7890", True),
        ("+62 812", True),
        ("mtr00001", False),
        ("0812３４５６", False),
        ("", False),
    ],
)
def test_looks_like_phone_tells_numbers_from_usernames(typed, expected):
    assert looks_like_phone(typed) is expected
