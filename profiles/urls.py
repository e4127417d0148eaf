from django.urls import path
from django.views.generic import RedirectView

from profiles import views

app_name = "profiles"

# The Profil menu lives under data/ so that the sidebar highlights Profil and Kredensial apart.
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="profiles:detail"), name="index"),
    path("data/", views.detail, name="detail"),
    path("data/ubah/", views.edit, name="edit"),
    path("data/terkirim/", views.submitted, name="submitted"),
    path("data/aktivitas/", views.activity, name="activity"),
    path("data/dokumen/<int:pk>/", views.document, name="document"),
    path("kredensial/", views.credentials, name="credentials"),
    path(
        "kredensial/<int:pk>/ganti-password/",
        views.credential_rotate,
        name="credential_rotate",
    ),
    path(
        "kredensial/webreport/ganti-password/",
        views.webreport_rotate,
        name="webreport_rotate",
    ),
]
