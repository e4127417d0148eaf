from django.urls import path

from docs_content import views

app_name = "docs_content"

urlpatterns = [
    path("", views.index, name="index"),
    path("unduh/openapi.json", views.openapi_json, name="openapi_json"),
    path("unduh/openapi.yaml", views.openapi_yaml, name="openapi_yaml"),
    path("unduh/postman.json", views.postman, name="postman"),
    path("daftar-produk/<slug:category>/", views.products, name="products"),
    path("<slug:slug>/", views.section, name="section"),
]
