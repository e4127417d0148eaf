app_name = "openapi"

urlpatterns: list = []
