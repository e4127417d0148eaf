from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from portal.health import healthz

admin.site.site_header = "Web Open API — Back-office"
admin.site.site_title = "Web Open API"
admin.site.index_title = "Back-office"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:dashboard"), name="home"),
    path("", include("portal.urls_portal")),
    path("healthz", healthz, name="health"),
    path("akun/", include("accounts.urls")),
    path("profil/", include("profiles.urls")),
    path("koneksi/", include("connections.urls")),
    path("dokumentasi/", include("docs_content.urls")),
    path("produk/", include("products.urls")),
    path("integrasi/", include("integration.urls")),
    path("transaksi/", include("billing.urls")),
    path("manajemen-user/", include("usermgmt.urls")),
    path("", include("openapi.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
]
