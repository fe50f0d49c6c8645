"""The bench's URLconf, the same for both sites: a bare view for logged-in users, wagtail-lms'
URLs where it is installed (at ``lms/``, as its documentation says), then the site's own."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import include, path


def bare(request):
    """The floor: the middleware stack and the session's user, no page."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden("not logged in")
    return HttpResponse("ok")


extra = [path("lms/", include("wagtail_lms.urls"))] if apps.is_installed("wagtail_lms") else []
urlpatterns = [
    path("bench-bare/", bare),
    *extra,
    *import_module(settings.BENCH_BASE_URLCONF).urlpatterns,
]
