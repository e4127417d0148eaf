from django.urls import path

from connections import views

app_name = "connections"

urlpatterns = [
    path("", views.ConnectionListView.as_view(), name="list"),
    path("tambah/", views.connection_add, name="add"),
    path("<int:pk>/perbaiki/", views.connection_edit, name="edit"),
    path("<int:pk>/hapus/", views.connection_delete, name="delete"),
    path("callback/", views.callback_list, name="callbacks"),
    path(
        "callback/<str:environment>/url/", views.callback_url_save, name="callback_url"
    ),
    path(
        "callback/<str:environment>/secret/",
        views.callback_secret_regenerate,
        name="callback_secret",
    ),
    path("callback/<str:environment>/tes/", views.callback_test, name="callback_test"),
    path(
        "callback/kirim-ulang/<int:pk>/",
        views.callback_resend,
        name="callback_resend",
    ),
]
