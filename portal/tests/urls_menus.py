"""A URLconf with one stand-in page per menu, so access tests do not depend on other apps."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from portal.lib.access import Level, Menu, partner_required


def page(menu, level=Level.VIEW):
    @partner_required(menu, level)
    def view(request):
        return HttpResponse(f"{menu}:{level}")

    return view


def app(namespace, *patterns):
    return include((list(patterns), namespace))


urlpatterns = [
    path("", include("portal.urls_portal")),
    path("akun/", include("accounts.urls")),
    # The 403 page's language switch posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
    path(
        "profil/",
        app(
            "profiles",
            path("", page(Menu.PROFIL), name="detail"),
            path("ubah/", page(Menu.PROFIL, Level.CHANGE), name="edit"),
            path("kredensial/", page(Menu.KREDENSIAL), name="credentials"),
        ),
    ),
    path("koneksi/", app("connections", path("", page(Menu.KONEKSI), name="list"))),
    path("produk/", app("products", path("", page(Menu.PRODUK), name="index"))),
    path(
        "integrasi/",
        app("integration", path("", page(Menu.INTEGRASI), name="uat_list")),
    ),
    path(
        "transaksi/",
        app("billing", path("", page(Menu.TRANSAKSI), name="transactions")),
    ),
    path(
        "manajemen-user/",
        app("usermgmt", path("", page(Menu.USERMGMT), name="list")),
    ),
]
