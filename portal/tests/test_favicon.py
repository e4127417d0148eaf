"""The portal has an icon: linked from every page, and at /favicon.ico for the rest."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")
    assert finders.find("favicon.svg")


@pytest.mark.parametrize(
    "url", [reverse("accounts:login"), reverse("portal:dashboard")]
)
def test_every_page_links_the_icon(owner, client, url):
    if url != reverse("accounts:login"):
        client.force_login(owner)

    page = client.get(url).content.decode()

    assert (
        f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
    )
