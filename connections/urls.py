from django.urls import path

from connections import views

app_name = "connections"

urlpatterns = [
    path("", views.ConnectionListView.as_view(), name="list"),
    path("tambah/", views.connection_add, name="add"),
    path("<int:pk>/perbaiki/", views.connection_edit, name="edit"),
    path("<int:pk>/hapus/", views.connection_delete, name="delete"),
]
