"""The documentation in English: each page's prose translated, the blocks and the wire
values the same as in the Indonesian page, which stays the default."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from docs_content import samples, sections
from docs_content.rendering import MARKER
from docs_content.sections import PAGES_DIR, SECTIONS
from docs_content.selectors import DevValues
from docs_content.spec import CALLBACK_FIELDS, EXAMPLES, OPERATIONS, REVISIONS
from docs_content.spec.fields import REFERENCE_ID, TAGIHAN, echo
from docs_content.spec.text import is_marked, translated

# One sentence of each page, as the reader sees it, with its Indonesian original.
SENTENCES = {
    "revisi": (
        "This page records every change to the Open API, newest first.",
        "Halaman ini mencatat setiap perubahan Open API, yang terbaru di atas.",
    ),
    "authentikasi": (
        "Every request is checked in this order:",
        "Urutan pemeriksaan setiap request:",
    ),
    "sign-on": (
        "Keep it and reuse it all day; do not Sign On for every transaction.",
        "Simpan dan pakai ulang",
    ),
    "inquiry": (
        "A failed answer (any rc other than 00) has an empty",
        "Jawaban gagal (rc selain 00) berisi",
    ),
    "payment": ("PLN Postpaid (after Inquiry):", "PLN Pascabayar (setelah Inquiry):"),
    "single-payment": (
        "is the destination mobile number.",
        "adalah nomor ponsel tujuan.",
    ),
    "check-status": (
        "Check Status of a successful airtime transaction:",
        "Check Status transaksi pulsa yang sukses:",
    ),
    "callback": (
        "The callback for the pending transaction of the Check Status page, after it "
        "succeeded:",
        "Callback untuk transaksi pending pada halaman Check Status, setelah sukses:",
    ),
    "daftar-harga-pulsa": (
        "The current base prices of airtime and data packages, per operator:",
        "Harga dasar pulsa dan paket data saat ini, per operator:",
    ),
    "cek-deposit": (
        "Check Deposit returns the remaining balance of your deposit",
        "Cek Deposit menjawab sisa saldo deposit Anda",
    ),
    "cek-status-produk": (
        "A transaction for a product that is not AKTIF is",
        "Transaksi produk yang tidak AKTIF dijawab",
    ),
    "daftar-produk": (
        "returns the same catalogue to your system.",
        "menjawab katalog yang sama untuk sistem Anda.",
    ),
    "daftar-kode-response": (
        "What a code means depends on the stage of the",
        "Arti sebuah kode bergantung pada tahap transaksi:",
    ),
    "nomor-development": (
        "In Development, the Open API is answered by a biller simulator.",
        "Di Development, Open API dijawab oleh simulator biller.",
    ),
}


def _page(client, slug: str) -> str:
    response = client.get(reverse("docs_content:section", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_every_section_has_an_english_sentence_to_check():
    assert set(SENTENCES) == {section.slug for section in SECTIONS}


@pytest.mark.parametrize("slug", SENTENCES)
def test_an_english_reader_gets_the_page_in_english(docs_client, slug):
    english, indonesian = SENTENCES[slug]

    html = _page(_english(docs_client), slug)

    assert english in html
    assert indonesian not in html
    assert '<html lang="en"' in html


@pytest.mark.parametrize("slug", SENTENCES)
def test_indonesian_stays_the_default(docs_client, slug):
    english, indonesian = SENTENCES[slug]

    html = _page(docs_client, slug)

    assert indonesian in html
    assert english not in html


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.slug)
def test_an_english_page_has_the_same_blocks_and_wire_values_as_the_original(section):
    original = (PAGES_DIR / f"{section.slug}.md").read_text(encoding="utf-8")
    english = (PAGES_DIR / "en" / f"{section.slug}.md").read_text(encoding="utf-8")

    def blocks(text):
        return [match.group(0) for match in MARKER.finditer(text)]

    def rc_codes(text):
        return sorted(set(re.findall(r"`rc` (\d\d)", text)))

    assert blocks(english) == blocks(original)
    assert rc_codes(english) == rc_codes(original)


def test_a_page_without_a_translation_falls_back_to_indonesian(monkeypatch, tmp_path):
    (tmp_path / "revisi.md").write_text("Halaman asli.", encoding="utf-8")
    (tmp_path / "en").mkdir()
    monkeypatch.setattr(sections, "PAGES_DIR", tmp_path)

    with translation.override("en"):
        assert SECTIONS[0].path == tmp_path / "revisi.md"
    (tmp_path / "en" / "revisi.md").write_text("Translated page.", encoding="utf-8")
    with translation.override("en"):
        assert SECTIONS[0].path == tmp_path / "en" / "revisi.md"
    with translation.override("id"):
        assert SECTIONS[0].path == tmp_path / "revisi.md"


def test_the_response_code_badges_are_in_english(docs_client):
    html = _page(_english(docs_client), "daftar-kode-response")

    row = re.search(r'<tr data-rc="17">.*?</tr>', html, re.S).group(0)
    # Inquiry failed, first Payment answer failed, Check Status failed (rc 17).
    assert re.findall(r'docs-outcome-(\w+)">(\w+)<', row) == [("gagal", "Failed")] * 3
    row = re.search(r'<tr data-rc="71">.*?</tr>', html, re.S).group(0)
    assert re.findall(r'docs-outcome-(\w+)">(\w+)<', row) == [
        ("gagal", "Failed"),
        ("pending", "Pending"),
        ("pending", "Pending"),
    ]
    assert "Sukses</span>" not in html
    assert "Gagal</span>" not in html


def test_the_response_code_badges_stay_indonesian_by_default(docs_client):
    html = _page(docs_client, "daftar-kode-response")

    row = re.search(r'<tr data-rc="00">.*?</tr>', html, re.S).group(0)
    assert re.findall(r'docs-outcome-(\w+)">(\w+)<', row) == [("sukses", "Sukses")] * 3


def _all_fields(fields):
    for item in fields:
        yield item
        yield from _all_fields(item.fields)


def test_every_text_of_the_api_description_shown_on_the_pages_is_marked():
    texts = [operation.description for operation in OPERATIONS]
    for operation in OPERATIONS:
        texts += [f.description for f in _all_fields(operation.request)]
        texts += [f.description for f in _all_fields(operation.response)]
    texts += [f.description for f in _all_fields(CALLBACK_FIELDS)]
    texts += [example.note for example in EXAMPLES if example.note]
    texts += [change for revision in REVISIONS for change in revision.changes]

    assert [text for text in texts if not is_marked(text)] == []


def test_a_text_built_with_values_is_translated_with_its_values_kept():
    with translation.override("en"):
        assert translated(echo(REFERENCE_ID).description) == (
            "referenceID from the request (empty when it was not sent)."
        )
        # The money fields' note around a description that is itself translated.
        assert translated(TAGIHAN.description) == (
            "The bill amount from the Inquiry, or the price of a prepaid product. "
            "Whole rupiah, 12 digits with leading zeros."
        )
    with translation.override("id"):
        assert translated(TAGIHAN.description) == TAGIHAN.description


def test_the_field_tables_endpoints_and_revisions_are_in_english(docs_client):
    client = _english(docs_client)

    payment = _page(client, "payment")
    revisi = _page(client, "revisi")

    assert (
        "The bill amount from the Inquiry, or the price of a prepaid product. "
        "Whole rupiah, 12 digits with leading zeros."
    ) in payment
    assert "Pays the bill of a successful Inquiry" in payment
    assert "Jumlah tagihan dari Inquiry" not in payment
    assert "First release of the Open API" in revisi


def test_the_response_codes_are_explained_in_english_beside_the_wire_description(
    docs_client,
):
    html = _page(_english(docs_client), "daftar-kode-response")

    row = re.search(r'<tr data-rc="12">.*?</tr>', html, re.S).group(0)
    assert "Insufficient deposit balance" in row
    # What the API sends in "description" stays Indonesian, shown as such.
    assert "<code data-rc-description>Saldo deposit tidak mencukupi</code>" in row


def test_the_development_numbers_are_explained_in_english(docs_client):
    html = _page(_english(docs_client), "nomor-development")

    assert "Pending, then success (rc 71 → 00)" in html
    assert "Success, a bill of 3 months" in html
    assert "Pending, lalu sukses" not in html


def test_the_code_samples_comment_in_english_and_still_compile(docs_client):
    html = _page(_english(docs_client), "sign-on")

    assert "keep it; valid until 23:59:59 WIB" in html
    assert "simpan; berlaku sampai" not in html
    values = DevValues("mtr1.dev", "MTR1", "9000", "MD1", "PT A'B", "1", issued=True)
    with translation.override("en"):
        python = [
            sample.code
            for sample in [
                *samples.authentication_samples(values, "http://x"),
                *samples.sign_on_samples(values, "http://x"),
                *samples.callback_samples(),
            ]
            if sample.language == "python"
        ]
    for code in python:
        compile(code, "sample.py", "exec")
    assert "Sign On failed:" in python[1]
