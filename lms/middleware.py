import time

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin

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
    """

    def process_request(self, request):
        session = getattr(request, "session", None)
        if session is None or not request.user.is_authenticated:
            return
        now = int(time.time())
        last = session.get("_lms_touched", 0)
        if now - last >= app_settings.LMS_SESSION_TOUCH_SECONDS:
            session["_lms_touched"] = now
