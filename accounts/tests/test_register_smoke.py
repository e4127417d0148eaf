import re

from accounts.models import User


def test_registration_then_activation_then_login(
    db, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/akun/daftar/",
            {
                "name": "Budi Santoso",
                "kind": "perusahaan",
                "company_name": "PT Maju Jaya",
                "phone": "0812-3456-7890",
                "email": "Budi@Example.COM",
                "password1": "kopi-tubruk-pagi-hari",
                "password2": "kopi-tubruk-pagi-hari",
            },
        )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.phone == "+6281234567890"
    assert user.email == "budi@example.com"
    link = re.search(
        r"http://testserver(/akun/aktivasi/\S+/)", mailoutbox[0].body
    ).group(1)
    page = client.get(link)
    assert "Aktivasi Berhasil" in page.content.decode()
    response = client.post(
        "/akun/login/",
        {"identifier": "+62 812 3456 7890", "password": "kopi-tubruk-pagi-hari"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Lengkapi Data" in page.content.decode()
