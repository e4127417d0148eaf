app_name = "docs_content"

urlpatterns: list = []
