"""The portal's URLconf plus one page that fails, to see the 500 page."""

from django.urls import path

from portal.urls import handler403, handler404, handler500, urlpatterns


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*urlpatterns, path("boom/", boom)]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
