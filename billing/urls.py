from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("", views.transactions, name="transactions"),
    path("export.csv", views.transactions_export, name="transactions_export"),
    path("<int:pk>/", views.transaction_detail, name="transaction_detail"),
    path("mutasi/", views.mutasi, name="mutasi"),
    path("mutasi/export.csv", views.mutasi_export, name="mutasi_export"),
    path("sandbox/", views.sandbox_fund, name="sandbox_fund"),
    path("topup/", views.topups, name="topups"),
    path("topup/baru/", views.topup_create, name="topup_create"),
    path("topup/<int:pk>/", views.topup_detail, name="topup_detail"),
    path("topup/<int:pk>/bukti/", views.topup_proof_upload, name="topup_proof"),
    path(
        "topup/<int:pk>/bukti/unduh/", views.topup_proof_file, name="topup_proof_file"
    ),
]
