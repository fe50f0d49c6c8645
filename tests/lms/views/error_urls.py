"""The site's URLs with views that fail, for the server error page's tests."""

from django.db import OperationalError
from django.urls import path

from config import urls


def database_away(request):
    raise OperationalError("terminating connection due to administrator command")


def broken(request):
    raise ValueError("a bug")


urlpatterns = [
    path("boom/database/", database_away),
    path("api/v1/boom/", database_away),
    path("boom/bug/", broken),
    *urls.urlpatterns,
]
handler500 = urls.handler500
