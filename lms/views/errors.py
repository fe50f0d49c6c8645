"""The reference site's server error page (``handler500`` in ``config.urls``).

A database that is away for a moment (restarted, failing over, out of connections) is not a
fault of the page: the answer is 503 with ``Retry-After``, and a page that says so and tries
again by itself, rendered without the database. Under the API the JSON error middleware turns it
into ``{"detail": …}``, keeping ``Retry-After``. Anything else is Django's own 500 page. Either
way the error is logged as usual (``django.request``)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults

#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 5


def server_error(request):
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    page = render_to_string(
        "lms/errors/unavailable.html",
        {"retry_after": RETRY_AFTER, "LANGUAGE_CODE": translation.get_language()},
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
