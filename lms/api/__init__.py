"""The learner JSON API, ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``), for the bank's
own app: the courses and quizzes routers and my assignments and records (``me/``) on one
django-ninja API.

Authentication is the Django session (log in through the site's login page); unsafe methods
need the ``X-CSRFToken`` header with the ``csrftoken`` cookie's value; the one exception is the
complaint system's ``POST complaints`` (``lms.api.complaints``): a bearer token, no session.
Every error is JSON, ``{"detail": "<message in the learner's language>"}``, with a 4xx status:
a bad request never becomes a 500.
"""

import json

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from courses.api import router as courses_router
from lms.api.complaint_loop import router as complaint_loop_router
from lms.api.complaints import router as complaints_router
from lms.api.me import router as me_router
from lms.api.team import router as team_router
from quizzes.api import router as quizzes_router
from quizzes.exceptions import QuizError
from quizzes.services.attempts import broken_character_message, storable


class BrokenText(ValueError):
    """JSON text with a lone UTF-16 surrogate (``"\\ud800"``), which no database can store."""


def _check_text(value):
    if isinstance(value, str):
        if not storable(value):
            raise BrokenText
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


class LearnerJsonParser(Parser):
    """JSON bodies, refusing text that could not be saved (any field, so every endpoint that
    stores a learner's text is covered): a 400 saying so instead of a 500 when it is written."""

    def parse_body(self, request):
        data = json.loads(request.body)
        _check_text(data)
        return data


api = NinjaAPI(
    title="CP-LMS API",
    version="1",
    description=(
        "The learner API of CP-LMS: courses, lessons, quizzes and attempts, my "
        "assignments and completion records, and managers' team dashboards. Session "
        "authentication; unsafe methods need the X-CSRFToken header. Errors are "
        '{"detail": "…"} with a 4xx status.'
    ),
    urls_namespace="api-v1",
    auth=django_auth,
    # No Swagger page: django-ninja's loads its scripts from a CDN (the site uses none); the
    # schema itself is at openapi.json.
    docs_url=None,
    parser=LearnerJsonParser(),
)
api.add_router("", courses_router)
api.add_router("", quizzes_router)
api.add_router("", me_router)
api.add_router("/team", team_router)
api.add_router("/team", complaint_loop_router)
api.add_router("", complaints_router)


def not_found_view(request, rest=""):
    """Any other path under the API: a JSON 404 (and no slash-appending redirect)."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


def _error(request, message, status, **extra):
    return api.create_response(request, {"detail": str(message), **extra}, status=status)


@api.exception_handler(QuizError)
def quiz_error(request, error):
    return _error(request, error.message, error.status)


@api.exception_handler(Http404)
def not_found(request, error):
    # Only messages we wrote (translatable) are shown; Django's own name models in English.
    message = error.args[0] if error.args and isinstance(error.args[0], Promise) else None
    return _error(request, message or _("Not found."), 404)


@api.exception_handler(PermissionDenied)
def forbidden(request, error):
    # The scope guard's reason (translatable); nothing else leaks.
    message = error.args[0] if error.args and isinstance(error.args[0], Promise) else None
    return _error(request, message or _("You may not do this."), 403)


@api.exception_handler(RequestDataTooBig)
def too_big(request, error):
    return _error(request, _("The request is too large."), 413)


def _ninja_message(error):
    """Translated versions of the fixed English messages django-ninja raises."""
    if isinstance(error, AuthenticationError):
        return _("Log in to use the API.")
    message = str(error)
    if message.startswith("CSRF check"):
        return _("CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header.")
    if message.startswith("Cannot parse request body"):
        return _("The request body is not valid JSON.")
    return message


@api.exception_handler(HttpError)
def http_error(request, error):
    if isinstance(error.__cause__, BrokenText):
        return _error(request, broken_character_message(), 400)
    return _error(request, _ninja_message(error), error.status_code)


def _location(loc):
    # ninja prefixes the parameter's source and model ("body", "payload", ...).
    return ".".join(str(part) for part in loc)


@api.exception_handler(ValidationError)
def validation_error(request, error):
    errors = [
        {
            "loc": [str(part) for part in item.get("loc", ())],
            "msg": str(item.get("msg", "")),
            "type": str(item.get("type", "")),
        }
        for item in error.errors
    ]
    summary = "; ".join(f"{_location(item['loc'])}: {item['msg']}" for item in errors)
    return _error(
        request,
        _("The request is not valid: %(errors)s") % {"errors": summary},
        422,
        errors=errors,
    )
