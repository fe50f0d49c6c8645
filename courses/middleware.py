"""Middleware of the courses app."""

from wagtail.views import serve

from .services.route_cache import prepare_route


class PageRouteCacheMiddleware:
    """Serve Wagtail's pages from the process's cached routes (``courses.services.route_cache``).

    Anywhere after the language is chosen (the route depends on it); only the requests that
    Wagtail's ``serve`` view answers are touched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is serve:
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            prepare_route(request, path)
