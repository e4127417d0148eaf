"""Request UAT: after one refused file the accepted ones are kept, for this partner only."""

import re

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from integration.models import UatEvidence, UatRequest
from integration.tests.factories import chosen, png_upload, text_upload, uat_form_data

ADD = "/integrasi/uat/tambah/"
FILES = (
    "document",
    "payment_request_file",
    "payment_screenshot",
    "inquiry_request_file",
    "inquiry_response_file",
    "inquiry_screenshot",
)


@pytest.fixture
def refused(owner_client, partner, pln_postpaid):
    """A Tambah with every file good but a payment screenshot that is really HTML."""
    chosen(partner, pln_postpaid)
    data = uat_form_data("100301") | {
        "payment_screenshot": text_upload("layar.png", "<html><script>1</script>"),
    }
    response = owner_client.post(ADD, data)
    assert response.status_code == 200
    return response.content.decode()


def _tokens(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="kept-(\w+)" value="([^"]+)"', html))


def _kept_fields(tokens: dict[str, str]) -> dict:
    return {f"kept-{name}": token for name, token in tokens.items()}


def test_only_the_refused_screenshot_is_to_be_picked_again(refused):
    assert refused.count("File ditolak") == 1
    assert "Sudah diunggah: <strong>hasil-uat.pdf</strong>" in refused
    assert "Sudah diunggah: <strong>inquiry-request.txt</strong>" in refused
    assert set(_tokens(refused)) == set(FILES) - {"payment_screenshot"}
    assert "File yang diterima disimpan sementara" in refused
    assert not UatRequest.objects.exists()


def test_sending_only_the_replacement_files_the_request_with_every_piece(
    refused, owner_client, partner
):
    response = owner_client.post(
        ADD,
        {
            "product": "100301",
            "payment_response_text": '{"rc": "00"}',
            **_kept_fields(_tokens(refused)),
            "payment_screenshot": png_upload(),
        },
    )

    assert response.status_code == 302
    uat = UatRequest.objects.get(partner=partner)
    kinds = set(uat.evidence.values_list("kind", flat=True))
    assert kinds == {
        UatEvidence.Kind.DOCUMENT,
        UatEvidence.Kind.PAYMENT_REQUEST,
        UatEvidence.Kind.PAYMENT_RESPONSE,
        UatEvidence.Kind.PAYMENT_SCREENSHOT,
        UatEvidence.Kind.INQUIRY_REQUEST,
        UatEvidence.Kind.INQUIRY_RESPONSE,
        UatEvidence.Kind.INQUIRY_SCREENSHOT,
    }


def test_a_kept_log_file_can_be_dropped_for_pasted_text(refused, owner_client):
    response = owner_client.post(
        ADD,
        {
            "product": "100301",
            "payment_response_text": '{"rc": "00"}',
            **_kept_fields(_tokens(refused)),
            "kept-inquiry_request_file-hapus": "1",
            "inquiry_request_text": '{"inquiry": "pasted"}',
            "payment_screenshot": png_upload(),
        },
    )

    assert response.status_code == 302
    log = UatEvidence.objects.get(kind=UatEvidence.Kind.INQUIRY_REQUEST)
    assert log.text == '{"inquiry": "pasted"}'
    assert not log.file


def test_a_kept_log_file_and_pasted_text_together_are_refused(refused, owner_client):
    html = owner_client.post(
        ADD,
        {
            "product": "100301",
            "payment_response_text": '{"rc": "00"}',
            **_kept_fields(_tokens(refused)),
            "inquiry_request_text": '{"inquiry": "pasted"}',
            "payment_screenshot": png_upload(),
        },
    ).content.decode()

    assert "Pilih salah satu" in html
    # The log file is still kept (it was not refused), with its Hapus box.
    assert "Sudah diunggah: <strong>inquiry-request.txt</strong>" in html
    assert 'name="kept-inquiry_request_file-hapus"' in html
    assert not UatRequest.objects.exists()


def test_another_partner_cannot_use_the_kept_files(refused, pln_postpaid):
    stranger = UserFactory()
    chosen(stranger.partner, pln_postpaid)
    other = Client()
    other.force_login(stranger)

    html = other.post(
        ADD,
        {
            "product": "100301",
            "payment_response_text": '{"rc": "00"}',
            **_kept_fields(_tokens(refused)),
            "payment_screenshot": png_upload(),
        },
    ).content.decode()

    assert "hasil-uat.pdf" not in html
    assert not UatRequest.objects.exists()
