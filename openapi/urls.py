from django.urls import path, re_path

from openapi import views

app_name = "openapi"

# The first path segment of every Open API call: machine-to-machine, no cookies, so the
# browser middlewares (session, login, messages, two-factor) are skipped for them
# (``portal.middleware.PortalOnly``).
API_PREFIXES = ("auth", "Services")

# The paths of the contract (OPEN_API.md), served at the site root.
urlpatterns = [
    path("auth/Sign-On", views.sign_on, name="sign_on"),
    path("Services/Inquiry", views.inquiry, name="inquiry"),
    path("Services/Payment", views.payment, name="payment"),
    path("Services/SinglePayment", views.single_payment, name="single_payment"),
    path("Services/Check-Status", views.check_status, name="check_status"),
    path("Services/getPulsa-Prabayar", views.pulsa_prices, name="pulsa_prices"),
    path(
        "Services/getHargaByProductID", views.price_by_product, name="price_by_product"
    ),
    path("Services/get-Deposit", views.deposit, name="deposit"),
    path("Services/get-Active-Product", views.active_product, name="active_product"),
    path("Services/get-Product-List", views.product_list, name="product_list"),
    # Anything else under the API prefixes answers JSON too (a typo, a trailing slash).
    re_path(
        rf"^(?:{'|'.join(API_PREFIXES)})(?:/(?P<path>.*))?$",
        views.unknown,
        name="unknown",
    ),
    path("ping", views.ping, name="ping"),
    # Upstream providers' callbacks (billers): machine to machine, signed by the provider.
    path(
        "upstream/callback/<slug:code>",
        views.provider_callback,
        name="provider_callback",
    ),
    # The partner's view of its calls (menu Koneksi).
    path("log-api/", views.log_list, name="log"),
    path("log-api/<int:pk>/", views.log_detail, name="log_detail"),
]
