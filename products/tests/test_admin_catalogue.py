from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.models import AuditEvent
from products.models import Product
from products.tests.factories import PartnerProductFactory, ProductFactory

CHANGELIST = "/backoffice/products/product/"


def test_staff_search_and_filter_the_catalogue(
    staff_client, pln_postpaid, pln_token, telkomsel
):
    html = staff_client.get(CHANGELIST, {"q": "Telkomsel"}).content.decode()
    assert "501021" in html and "100312" not in html
    html = staff_client.get(
        CHANGELIST,
        {"status__exact": "AKTIF", "category__id__exact": pln_token.category_id},
    ).content.decode()
    assert "100312" in html and "501021" not in html


def test_a_bulk_status_change_is_audited_and_seen_by_partners_at_once(
    staff_client, owner, partner, pln_token, telkomsel
):
    PartnerProductFactory(partner=partner, product=pln_token)
    response = staff_client.post(
        CHANGELIST,
        {
            "action": "mark_maintenance",
            "_selected_action": [pln_token.pk, telkomsel.pk],
        },
        follow=True,
    )
    assert "Status 2 produk diubah menjadi Maintenance." in response.content.decode()
    assert set(Product.objects.values_list("status", flat=True)) == {"MAINTENANCE"}
    events = AuditEvent.objects.filter(action="product.status_changed")
    assert events.count() == 2
    assert events.first().after == {"status": "MAINTENANCE"}
    partner_client = Client()
    partner_client.force_login(owner)
    html = partner_client.get("/produk/produk-anda/").content.decode()
    assert "status-maintenance" in html
    staff_client.post(
        CHANGELIST, {"action": "mark_active", "_selected_action": [pln_token.pk]}
    )
    pln_token.refresh_from_db()
    assert pln_token.status == "AKTIF"


def _import(staff_client, content: bytes):
    upload = SimpleUploadedFile("harga.csv", content, content_type="text/csv")
    return staff_client.post(f"{CHANGELIST}impor-harga/", {"file": upload}, follow=True)


def test_a_price_import_updates_valid_rows_and_reports_refused_ones(
    staff_client, pln_postpaid, pln_token, telkomsel
):
    ProductFactory(code="510011")
    content = (
        b"kode;nama;harga;admin\n"
        b"100312;PLN Token 20.000;22.000;\n"
        b"100301;PLN Pascabayar;;3000\n"
        b"501021;Telkomsel 10.000;10550;0\n"
        b"999999;Tidak ada;5000;\n"
        b"100312;Dua kali;23000;\n"
        b"510011;Indosat 100.000;sepuluh ribu;\n"
    )
    html = _import(staff_client, content).content.decode()
    assert "2 baris diperbarui, 1 tidak berubah, 3 ditolak." in html
    assert "kode 999999 tidak ada di katalog" in html
    assert "muncul lebih dari sekali" in html
    assert "sepuluh ribu bukan angka rupiah utuh" in html
    pln_token.refresh_from_db()
    pln_postpaid.refresh_from_db()
    assert pln_token.price == 22000
    assert pln_postpaid.admin_fee == 3000
    event = AuditEvent.objects.get(
        action="product.price_changed", subject_id=str(pln_token.pk)
    )
    assert (event.before, event.after) == ({"price": 21500}, {"price": 22000})


def test_an_unreadable_price_file_is_refused_whole(staff_client, pln_token):
    html = _import(staff_client, b"\xff\xfe\x00k\x00o").content.decode()
    assert "File tidak dapat dibaca: bukan teks UTF-8." in html
    html = _import(staff_client, b"nama,status\nPLN,AKTIF\n").content.decode()
    assert "harus memuat kolom kode" in html
    pln_token.refresh_from_db()
    assert pln_token.price == 21500


def test_the_price_export_streams_what_the_import_reads(
    staff_client, pln_postpaid, pln_token
):
    response = staff_client.get(f"{CHANGELIST}ekspor-harga/")
    assert response.streaming
    assert response["Content-Disposition"].startswith(
        'attachment; filename="katalog-harga-'
    )
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "kode,nama,kategori,jenis,operator,harga,admin,status"
    assert "100312,PLN Token 20.000,listrik,prabayar,,21500,0,AKTIF" in lines
    assert "100301,PLN Pascabayar,listrik,pascabayar,,0,2500,AKTIF" in lines
    html = _import(staff_client, "\n".join(lines).encode()).content.decode()
    assert "0 baris diperbarui, 2 tidak berubah, 0 ditolak." in html


def test_partners_cannot_open_the_back_office_import(owner_client, pln_token):
    response = owner_client.get(f"{CHANGELIST}impor-harga/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_editing_a_product_in_the_admin_is_audited(staff_client, pln_token):
    url = f"{CHANGELIST}{pln_token.pk}/change/"
    data = {
        "code": "100312",
        "name": "PLN Token 20.000",
        "category": pln_token.category_id,
        "kind": "prabayar",
        "operator": "",
        "price": "21750",
        "admin_fee": "0",
        "status": "AKTIF",
        # The product's provider routes, the inline billers.admin adds: none here.
        "routes-TOTAL_FORMS": "0",
        "routes-INITIAL_FORMS": "0",
    }
    assert 'name="routes-TOTAL_FORMS"' in staff_client.get(url).content.decode()
    assert staff_client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="product.changed")
    assert (event.before, event.after) == ({"price": 21500}, {"price": 21750})
