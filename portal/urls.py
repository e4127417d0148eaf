from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from portal import errors
from portal.health import healthz

admin.site.site_header = "Web Open API — Back-office"
admin.site.site_title = "Web Open API"
admin.site.index_title = "Back-office"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:dashboard"), name="home"),
    path("", include("portal.urls_portal")),
    path("healthz", healthz, name="health"),
    # Browsers ask for /favicon.ico on pages that link no icon (the back-office, files).
    # (Lazy: the static URL is only known once the manifest of collected files is read.)
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True),
        name="favicon",
    ),
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
if settings.DEBUG_TOOLBAR:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns = debug_toolbar_urls() + urlpatterns

handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
