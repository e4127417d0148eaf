from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.register, name="register"),
    path("verifikasi-email/", views.verify_email, name="verify_email"),
    path("aktivasi/<str:token>/", views.activate, name="activate"),
    path("lupa-password/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-password/terkirim/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("ubah-password/", views.PasswordChangeView.as_view(), name="password_change"),
]
