from django.urls import path

from integration import views

app_name = "integration"

urlpatterns = [
    path("", views.uat_list, name="uat_list"),
    path("uat/tambah/", views.uat_add, name="uat_add"),
    path("uat/produk/", views.uat_products, name="uat_products"),
    path("uat/panggilan-api/", views.uat_api_calls, name="uat_api_calls"),
    path("uat/<int:pk>/", views.uat_detail, name="uat_detail"),
    path("uat/<int:pk>/perbaiki/", views.uat_edit, name="uat_edit"),
    path(
        "uat/<int:pk>/bukti/<int:evidence_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("uat/<int:pk>/request-live/", views.live_request, name="live_request"),
    path("live/", views.live_list, name="live_list"),
]
