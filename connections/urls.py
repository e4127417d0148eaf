app_name = "connections"

urlpatterns: list = []
