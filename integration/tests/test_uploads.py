"""Each upload of the UAT form is refused by its content, whatever its name says."""

import pytest

from integration.models import UatRequest
from integration.tests.factories import (
    PDF,
    chosen,
    png_bytes,
    text_upload,
    uat_form_data,
)


@pytest.fixture
def post(owner_client, partner, pln_postpaid):
    chosen(partner, pln_postpaid)

    def run(**changes):
        data = uat_form_data("100301") | changes
        return owner_client.post("/integrasi/uat/tambah/", data)

    return run


@pytest.mark.parametrize(
    "field", ["document", "inquiry_screenshot", "payment_screenshot"]
)
def test_a_document_that_is_really_html_is_refused(post, field):
    fake = text_upload("hasil.pdf", "<html><script>alert(1)</script></html>")
    html = post(**{field: fake}).content.decode()
    assert "File ditolak" in html
    assert not UatRequest.objects.exists()


def test_a_pdf_with_script_inside_is_refused(post):
    bad = text_upload(
        "hasil.pdf", PDF.replace(b"trailer", b"<script>x</script>trailer")
    )
    assert "berisi kode HTML/skrip" in post(document=bad).content.decode()
    assert not UatRequest.objects.exists()


def test_an_image_with_data_after_its_end_is_refused(post):
    polyglot = text_upload("layar.png", png_bytes() + b"<?php echo 1; ?>")
    assert "ada data tambahan" in post(inquiry_screenshot=polyglot).content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (text_upload("log.txt", "<html><body>Error</body></html>"), "berisi kode HTML"),
        (
            text_upload("log.json", '{"a": "<script>alert(1)</script>"}'),
            "berisi kode HTML",
        ),
        (text_upload("log.txt", b"\xff\xfe\xfa binary"), "bukan teks UTF-8"),
        (text_upload("log.txt", b"MZ\x00\x01\x02 program"), "karakter biner"),
        (text_upload("log.exe", "rc=00"), "log harus berupa file teks .txt atau .json"),
        (
            text_upload("log.html", "rc=00"),
            "log harus berupa file teks .txt atau .json",
        ),
        (text_upload("log.txt", "x" * (1024 * 1024 + 1)), "Log maksimal 1 MB"),
        (text_upload("log.txt", "   \n"), "Log kosong."),
    ],
)
def test_a_log_file_must_be_plain_text(post, upload, message):
    html = post(inquiry_request_file=upload).content.decode()
    assert message in html
    assert not UatRequest.objects.exists()


def test_a_pasted_log_with_markup_is_refused(post, owner_client):
    data = uat_form_data("100301")
    data.pop("inquiry_response_file")
    data["inquiry_response_text"] = '<iframe src="//evil"></iframe>'
    html = owner_client.post("/integrasi/uat/tambah/", data).content.decode()
    assert "berisi kode HTML" in html
    assert not UatRequest.objects.exists()


def test_a_log_captured_as_pdf_or_image_is_accepted(post):
    response = post(
        inquiry_request_file=text_upload("log-request.pdf", PDF),
        inquiry_response_file=text_upload("log-response.png", png_bytes()),
    )
    assert response.status_code == 302
    kinds = {e.kind: e.file.name for e in UatRequest.objects.get().evidence.all()}
    assert kinds["inquiry_request"].endswith(".pdf")
    assert kinds["inquiry_response"].endswith(".png")
