app_name = "usermgmt"

urlpatterns: list = []
