"""The reference site's URLs plus a bare view (``/bench/bare/``), for bench/server_settings.py."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The cheapest answer the stack can give: every middleware, no query of its own."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site_urlpatterns]
