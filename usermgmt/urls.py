from django.urls import path

from usermgmt.views import login, security, users

app_name = "usermgmt"

urlpatterns = [
    path("", users.UserListView.as_view(), name="list"),
    path("tambah/", users.user_add, name="add"),
    path("<int:pk>/ubah/", users.user_edit, name="edit"),
    path("<int:pk>/hapus/", users.user_delete, name="delete"),
    path("wajib-2fa/", users.two_factor_policy, name="two_factor_policy"),
    path("keamanan/", security.security, name="security"),
    path("keamanan/aktifkan/", security.two_factor_setup, name="two_factor_setup"),
    path(
        "keamanan/nonaktifkan/", security.two_factor_disable, name="two_factor_disable"
    ),
    path(
        "keamanan/kode-pemulihan/",
        security.recovery_codes_regenerate,
        name="recovery_codes",
    ),
    path("verifikasi-login/", login.two_factor_login, name="two_factor_login"),
]
