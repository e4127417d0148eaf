from django.urls import path

from products import views

app_name = "products"

urlpatterns = [
    path("", views.index, name="index"),
    path("pilih/", views.choose, name="choose"),
    path("produk-anda/", views.mine, name="mine"),
    path("produk-anda/<int:pk>/hapus/", views.remove, name="remove"),
]
