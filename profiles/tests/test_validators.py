import datetime

import pytest
from django.core.exceptions import ValidationError

from profiles import validators
from profiles.tests.factories import NIK_FEMALE, NIK_MALE


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.messages[0]


def test_nik_accepts_sixteen_digits_with_separators():
    assert validators.clean_nik("3174 0115 0590 0001") == NIK_MALE


def test_nik_of_a_woman_has_forty_added_to_the_day():
    assert validators.clean_nik(NIK_FEMALE) == NIK_FEMALE
    assert validators.nik_matches_birth_date(NIK_FEMALE, datetime.date(1990, 5, 15))


def test_nik_must_have_sixteen_digits():
    assert "16 digit" in _message(validators.clean_nik, "317401150590001")


def test_nik_must_be_digits_only():
    assert "hanya boleh berisi angka" in _message(
        validators.clean_nik, "31740115059000AB"
    )


@pytest.mark.parametrize("code", ["00", "10", "20", "37", "50", "77", "90", "97"])
def test_nik_must_start_with_a_province_code(code):
    assert "kode provinsi" in _message(validators.clean_nik, code + NIK_MALE[2:])


@pytest.mark.parametrize("code", ["11", "21", "36", "65", "76", "82", "93", "96"])
def test_nik_accepts_every_province_including_the_new_papua_ones(code):
    assert validators.clean_nik(code + NIK_MALE[2:]).startswith(code)


@pytest.mark.parametrize("date_digits", ["320590", "001390", "310290", "720590"])
def test_nik_birth_date_digits_must_be_a_real_date(date_digits):
    nik = NIK_MALE[:6] + date_digits + NIK_MALE[12:]
    assert "tanggal lahir" in _message(validators.clean_nik, nik)


def test_nik_serial_may_not_be_zero():
    assert "0000" in _message(validators.clean_nik, NIK_MALE[:12] + "0000")


def test_nik_label_names_the_field():
    message = _message(validators.clean_nik, "123", label="NIK penanggung jawab")
    assert message.startswith("NIK penanggung jawab harus 16 digit")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01.234.567.8-901.000", "012345678901000"),
        ("3174011505900001", "3174011505900001"),
    ],
)
def test_npwp_has_fifteen_or_sixteen_digits(raw, expected):
    assert validators.clean_npwp(raw) == expected


@pytest.mark.parametrize("raw", ["12345678901234", "12345678901234567"])
def test_npwp_of_another_length_is_refused(raw):
    assert "15 atau 16 digit" in _message(validators.clean_npwp, raw)


def test_npwp_of_zeros_is_refused():
    assert "tidak valid" in _message(validators.clean_npwp, "000000000000000")


def test_nib_has_thirteen_digits():
    assert validators.clean_nib("9120 0012 34567") == "9120001234567"
    assert "13 digit" in _message(validators.clean_nib, "912000123456")


def test_postal_code_has_five_digits_not_starting_with_zero():
    assert validators.clean_postal_code("12190") == "12190"
    assert "5 digit" in _message(validators.clean_postal_code, "1219")
    assert "diawali angka 0" in _message(validators.clean_postal_code, "01219")
    assert "hanya boleh berisi angka" in _message(validators.clean_postal_code, "12A90")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("021 5551 2345", "+622155512345"),
        ("(0274) 512345", "+62274512345"),
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
    ],
)
def test_telephone_accepts_landlines_and_mobiles(raw, expected):
    assert validators.clean_telephone(raw) == expected


@pytest.mark.parametrize("raw", ["5551234", "021", "+1 202 555 0100", "0812abc"])
def test_telephone_refuses_what_is_not_an_indonesian_number(raw):
    assert "Nomor telepon tidak valid" in _message(validators.clean_telephone, raw)


@pytest.mark.parametrize(
    "cleaner",
    [validators.clean_nik, validators.clean_npwp, validators.clean_nib],
)
def test_only_ascii_digits_count_as_digits(cleaner):
    # Full-width digits look like numbers but would be stored as other characters.
    full_width = NIK_MALE.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert "hanya boleh berisi angka" in _message(cleaner, full_width)


def test_telephone_refuses_non_ascii_digits():
    assert "tidak valid" in _message(
        validators.clean_telephone, "０８１２３４５６７８９０"
    )
