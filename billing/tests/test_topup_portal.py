from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Partner
from billing.models import TopUp
from billing.tests.factories import BankAccountFactory, png_upload
from portal.models import AuditEvent


@pytest.fixture
def bank(db):
    return BankAccountFactory(bank="BCA", number="8880012345", holder="PT Web Open API")


def _request(client, bank, amount="100.000"):
    return client.post(
        reverse("billing:topup_create"), {"amount": amount, "bank_account": bank.pk}
    )


def test_topup_request_shows_transfer_instructions_and_emails_them(
    owner_client, owner, bank, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(owner_client, bank, "Rp 250.000")
    topup = TopUp.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:topup_detail", args=[topup.pk])
    assert topup.amount == 250_000
    assert 1 <= topup.unique_code <= 999
    assert topup.transfer_amount == 250_000 + topup.unique_code
    assert topup.expires_at - topup.submitted_at == timedelta(hours=24)
    page = owner_client.get(response["Location"]).content.decode()
    shown = f"Rp {topup.transfer_amount:,}".replace(",", ".")
    assert shown in page
    assert "8880012345" in page
    assert "Menunggu pembayaran" in page
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [owner.email]
    assert shown in mail.subject
    assert "8880012345" in mail.body
    assert shown in mail.alternatives[0][0]
    assert AuditEvent.objects.filter(action="topup.requested").count() == 1


def test_amount_below_minimum_is_refused_and_kept_in_the_form(owner_client, bank):
    response = _request(owner_client, bank, "99.999")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nominal top up minimal Rp 100.000." in page
    assert 'value="99.999"' in page
    assert not TopUp.objects.exists()


def test_amount_that_is_not_a_number_gets_a_message(owner_client, bank):
    response = _request(owner_client, bank, "seratus ribu")
    assert "Masukkan nominal dalam angka" in response.content.decode()
    assert not TopUp.objects.exists()


def test_two_open_requests_of_the_same_amount_get_different_transfer_amounts(
    owner_client, bank
):
    _request(owner_client, bank)
    _request(owner_client, bank)
    first, second = TopUp.objects.all()
    assert first.transfer_amount != second.transfer_amount


def test_a_partner_not_yet_active_cannot_top_up(owner_client, partner, bank):
    Partner.objects.filter(pk=partner.pk).update(status=Partner.Status.PENDING)
    response = _request(owner_client, bank)
    assert "belum aktif" in response.content.decode()
    assert not TopUp.objects.exists()


def test_open_requests_are_limited(owner_client, bank):
    for _ in range(3):
        _request(owner_client, bank)
    response = _request(owner_client, bank)
    assert "belum selesai" in response.content.decode()
    assert TopUp.objects.count() == 3


def test_proof_upload_then_download_by_the_partner(owner_client, bank):
    _request(owner_client, bank)
    topup = TopUp.objects.get()
    response = owner_client.post(
        reverse("billing:topup_proof", args=[topup.pk]), {"proof": png_upload()}
    )
    assert response.status_code == 302
    topup.refresh_from_db()
    assert topup.proof.name.startswith(f"topup/{topup.partner_id}/")
    assert topup.state == TopUp.State.AWAITING_CONFIRMATION
    download = owner_client.get(reverse("billing:topup_proof_file", args=[topup.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_proof_that_is_not_a_document_is_refused(owner_client, bank):
    _request(owner_client, bank)
    topup = TopUp.objects.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("bukti.png", b"<html>not an image</html>", "image/png")
    response = owner_client.post(
        reverse("billing:topup_proof", args=[topup.pk]), {"proof": fake}
    )
    assert response.status_code == 400
    assert "File ditolak" in response.content.decode()
    topup.refresh_from_db()
    assert not topup.proof


def test_no_proof_after_the_deadline(owner_client, bank):
    _request(owner_client, bank)
    topup = TopUp.objects.get()
    TopUp.objects.filter(pk=topup.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = owner_client.post(
        reverse("billing:topup_proof", args=[topup.pk]), {"proof": png_upload()}
    )
    assert response.status_code == 400
    assert "Batas waktu transfer sudah lewat" in response.content.decode()


def test_topup_list_shows_the_partners_requests(owner_client, bank):
    _request(owner_client, bank)
    page = owner_client.get(reverse("billing:topups")).content.decode()
    topup = TopUp.objects.get()
    assert reverse("billing:topup_detail", args=[topup.pk]) in page


def test_an_outsider_gets_404_on_every_topup_url(client, owner_client, outsider, bank):
    _request(owner_client, bank)
    topup = TopUp.objects.get()
    owner_client.post(
        reverse("billing:topup_proof", args=[topup.pk]), {"proof": png_upload()}
    )
    client.force_login(outsider)
    for name in ("billing:topup_detail", "billing:topup_proof_file"):
        assert client.get(reverse(name, args=[topup.pk])).status_code == 404
    response = client.post(
        reverse("billing:topup_proof", args=[topup.pk]), {"proof": png_upload()}
    )
    assert response.status_code == 404
    assert outsider.partner.topups.count() == 0
