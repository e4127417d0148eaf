"""The rules of a callback URL, per environment, with messages in Bahasa Indonesia."""

import pytest

from connections.callback_url import (
    MAX_URL_LENGTH,
    CallbackUrlError,
    clean_callback_url,
)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/callback",
        "http://localhost:8000/cb",
        "http://10.1.2.3/cb",
        "https://api.mitra.co.id/callback?env=dev",
    ],
)
def test_development_accepts_http_and_local_servers(url):
    assert clean_callback_url(f"  {url} ", "development") == url


def test_production_accepts_a_public_https_url():
    url = "https://api.mitra.co.id:8443/v1/callback"

    assert clean_callback_url(url, "production") == url


def test_an_empty_url_turns_callbacks_off():
    assert clean_callback_url("   ", "production") == ""


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://api.mitra.co.id/cb", "wajib memakai https://"),
        ("https://10.0.0.5/cb", "alamat jaringan privat/lokal"),
        ("https://192.168.1.10/cb", "alamat jaringan privat/lokal"),
        ("https://127.0.0.1/cb", "alamat loopback"),
        ("https://[::1]/cb", "alamat loopback"),
        ("https://169.254.169.254/latest", "link-local"),
        ("https://localhost/cb", "harus dapat diakses dari Internet"),
    ],
)
def test_production_refuses_plain_http_and_non_public_hosts(url, message):
    with pytest.raises(CallbackUrlError) as refused:
        clean_callback_url(url, "production")

    assert message in refused.value.message


@pytest.mark.parametrize("environment", ["development", "production"])
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://user:rahasia@api.mitra.co.id/cb", "tidak boleh memuat username"),
        ("ftp://api.mitra.co.id/cb", "harus diawali https://"),
        ("api.mitra.co.id/callback", "harus diawali https://"),
        ("https://api mitra.co.id/cb", "tidak boleh mengandung spasi"),
        ("https://api.mitra.co.id/cb#bagian", "tidak boleh memuat bagian #fragment"),
        ("https://bukan_host/cb", "bukan URL yang valid"),
        ("https://api.mitra.co.id/" + "a" * MAX_URL_LENGTH, "maksimal 500 karakter"),
    ],
)
def test_malformed_urls_and_credentials_are_refused(environment, url, message):
    with pytest.raises(CallbackUrlError) as refused:
        clean_callback_url(url, environment)

    assert message in refused.value.message
