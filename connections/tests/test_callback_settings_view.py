"""Saving the callback URL from the Callback page: kept as typed on error, audited."""

from django.urls import reverse

from connections.models import CallbackEndpoint
from portal.models import AuditEvent

PAGE_URL = reverse("connections:callbacks")


def _save(client, environment, url):
    return client.post(
        reverse("connections:callback_url", args=[environment]),
        {f"{environment}-url": url},
    )


def test_the_koneksi_page_links_to_the_callback_tab(owner_client):
    content = owner_client.get(reverse("connections:list")).content.decode()

    assert f'href="{PAGE_URL}"' in content


def test_saving_a_url_creates_the_endpoint_with_a_secret(owner_client, partner):
    response = _save(owner_client, "production", "https://api.mitra.co.id/callback")

    assert response.status_code == 302
    endpoint = CallbackEndpoint.objects.get(partner=partner, environment="production")
    assert endpoint.url == "https://api.mitra.co.id/callback"
    assert len(endpoint.secret) >= 40
    page = owner_client.get(PAGE_URL).content.decode()
    assert "Data berhasil disimpan" in page
    assert "https://api.mitra.co.id/callback" in page
    assert endpoint.secret in page
    event = AuditEvent.objects.get(action="callback.url_updated")
    assert event.after == {
        "environment": "production",
        "url": "https://api.mitra.co.id/callback",
    }
    assert endpoint.secret not in str(event.after)


def test_changing_the_url_keeps_the_secret(owner_client, partner):
    _save(owner_client, "development", "http://127.0.0.1:8000/a")
    secret = CallbackEndpoint.objects.get().secret

    _save(owner_client, "development", "http://127.0.0.1:8000/b")

    endpoint = CallbackEndpoint.objects.get()
    assert (endpoint.url, endpoint.secret) == ("http://127.0.0.1:8000/b", secret)
    event = AuditEvent.objects.filter(action="callback.url_updated").first()
    assert event.before["url"] == "http://127.0.0.1:8000/a"


def test_a_refused_url_is_shown_with_its_message_and_kept_in_the_form(owner_client):
    response = _save(owner_client, "production", "http://10.0.0.5/callback")

    content = response.content.decode()
    assert response.status_code == 200
    assert "URL callback Production wajib memakai https://." in content
    assert 'value="http://10.0.0.5/callback"' in content
    assert not CallbackEndpoint.objects.exists()


def test_a_too_long_url_is_refused_by_the_form(owner_client):
    response = _save(owner_client, "development", "http://a.id/" + "x" * 600)

    assert "URL callback maksimal 500 karakter." in response.content.decode()
    assert not CallbackEndpoint.objects.exists()


def test_an_unknown_environment_is_404(owner_client):
    assert _save(owner_client, "staging", "https://a.co.id/").status_code == 404


def test_the_page_explains_how_to_verify_the_signature(owner_client):
    content = owner_client.get(PAGE_URL).content.decode()

    assert "Cara memverifikasi callback" in content
    assert "hmac.compare_digest" in content
    assert "X-Signature" in content
    assert "30 detik, 1 menit, 2 menit, 4 menit, 8 menit, 16 menit" in content
