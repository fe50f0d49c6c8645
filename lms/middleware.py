import time

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

from lms.conf import app_settings


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Chinese first: use the language the person picked with the switcher (cookie), else
    ``LANGUAGE_CODE`` — never the browser's Accept-Language, which on many staff phones and
    counter terminals says English although the staff read Chinese."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class IdleSessionMiddleware(MiddlewareMixin):
    """Sessions end after ``SESSION_COOKIE_AGE`` idle seconds (30 minutes).

    Instead of saving the session on every request (three queries each time), the expiry is
    pushed forward at most once per ``LMS_SESSION_TOUCH_SECONDS`` (default 60): a learner is
    logged out after 30 to 31 idle minutes. Must come after SessionMiddleware.

    It looks at the session's login, not at ``request.user``, which would load the user on every
    request (a query even for views that never need the user).
    """

    def process_request(self, request):
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:  # not logged in; user left unloaded
            return
        now = int(time.time())
        last = session.get("_lms_touched", 0)
        if now - last >= app_settings.LMS_SESSION_TOUCH_SECONDS:
            session["_lms_touched"] = now


def logged_in(request):
    """Whether someone is logged in on ``request``, without loading the user when nothing has: the
    session holds a login, or the user was loaded (``AuthenticationMiddleware`` caches it on the
    request) and is authenticated. A login whose user has since gone counts, until the user is
    loaded: this only ever errs on the side of treating an answer as personal."""
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        return True
    user = getattr(request, "_cached_user", None)
    return bool(user is not None and user.is_authenticated)


class CompressedPagesMiddleware(GZipMiddleware):
    """gzip for the HTML pages (whitenoise sends static files compressed itself): a lesson is
    about a third of its size on a branch's slow network. JSON is left alone: the API's answers
    to the pages are small, and some API clients (schemathesis' WSGI transport among them) ask
    for gzip without decoding it.

    BREACH (guessing a secret in a compressed page from its size) is mitigated three ways: Django
    pads each compressed answer with 0–99 random bytes in the gzip file name ("Heal the Breach",
    Django 4.2+), the CSRF token in a page is masked afresh on every request, and the session and
    CSRF cookies are ``SameSite=Lax``, so another site cannot make the browser send the many
    authenticated requests the attack needs. Streamed answers (CSV exports, downloads, video) and
    other content types are left alone: they are compressed already, or their first rows should
    not wait in a compressor's buffer."""

    compressed_types = ("text/html",)

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if response.streaming or content_type not in self.compressed_types:
            return response
        return super().process_response(request, response)


def _api_prefix():
    """The learner API's URL prefix (``/api/v1/``), or None when the site does not mount it."""
    try:
        return reverse("api-v1:openapi-json").rsplit("/", 1)[0] + "/"
    except NoReverseMatch:
        return None


def _api_error_messages():
    return {
        400: _("The request is not valid."),
        401: _("Log in to use the API."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
    }


def _multipart_without_boundary(request):
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.lower().startswith("multipart/"):
        return False
    return "boundary=" not in content_type.lower()


class ApiJsonErrorsMiddleware:
    """Every error under the learner API is ``{"detail": "…"}`` JSON, also those Django answers
    before or after the API's own handlers (no URL matched, a method not allowed, a bad Host
    header, an unreadable body, a server error): a script never gets an HTML error page. A
    multipart body without a boundary is refused here, before anything reads it. Put it right
    after the language middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefix = _api_prefix()
        if prefix is None or not request.path_info.startswith(prefix):
            return self.get_response(request)
        if _multipart_without_boundary(request):
            message = _("The multipart/form-data body has no boundary; send JSON instead.")
            return JsonResponse({"detail": str(message)}, status=400)
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or content_type.startswith("application/json"):
            return response
        default = _("The server could not answer. Please try again later.")
        if response.status_code < 500:
            default = _("The request could not be processed.")
        message = _api_error_messages().get(response.status_code, default)
        replacement = JsonResponse({"detail": str(message)}, status=response.status_code)
        for header in ("Allow", "Retry-After", "Content-Language"):
            if header in response:
                replacement[header] = response[header]
        return replacement


def _admin_prefix():
    """The Wagtail admin's URL prefix (``/admin/``), or None when the site has no admin."""
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return None


def _skipped(path):
    """Static files and uploads: cacheable, never personal pages."""
    prefixes = [p for p in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")) if p]
    return any(path.startswith(prefix) for prefix in prefixes if prefix.startswith("/"))


class PrivacyHeadersMiddleware:
    """Two headers on every response (put it right after WhiteNoise, before the session and
    language middleware, so it also sees the API's JSON error answers):

    - ``Permissions-Policy`` (``LMS_PERMISSIONS_POLICY``): no camera, microphone, location,
      payment, USB … for any page or anything embedded in it.
    - ``Cache-Control: no-store, private`` on what is personal: every answer under the API
      (``/api/v1/``) and every answer to a logged-in person, unless the view set its own
      ``Cache-Control``; static files and uploads are left alone. A shared phone's back button,
      a browser cache or a proxy must not keep someone's records, scores or certificates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = app_settings.LMS_PERMISSIONS_POLICY
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        if "Cache-Control" not in response and self._personal(request):
            response["Cache-Control"] = "no-store, private"
        return response

    @staticmethod
    def _personal(request):
        path = request.path  # with the script prefix, like reverse() and STATIC_URL
        if _skipped(path):
            return False
        api = _api_prefix()
        if api is not None and path.startswith(api):
            return True
        return logged_in(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with a looser policy for the Wagtail admin only.

    Everything gets ``CONTENT_SECURITY_POLICY`` (the reference site: scripts only from our own
    files, no inline script anywhere outside the admin). Wagtail's admin writes inline scripts
    (date pickers, inline panels, workflow dialogs) and frames its own previews, so under the
    admin's prefix each directive of ``LMS_CSP_ADMIN_SOURCES`` gets those sources added (and
    loses ``'none'``)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin = _admin_prefix()
        if report_only or admin is None or not request.path.startswith(admin):
            return parts
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        directives = policy.get("DIRECTIVES", {})
        replace = dict(parts.replace or {})
        for directive, sources in app_settings.LMS_CSP_ADMIN_SOURCES.items():
            base = replace.get(directive) or directives.get(directive) or []
            kept = [source for source in base if source != "'none'"]
            replace[directive] = kept + [source for source in sources if source not in kept]
        return PolicyParts(parts.config, parts.update, replace, parts.nonce)
