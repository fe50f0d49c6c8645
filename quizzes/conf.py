"""Settings of the quizzes app, read lazily (``override_settings`` works).

``LMS_QUIZZES_BASE_TEMPLATE``
    The template the learner quiz pages extend (default ``"quizzes/base.html"``, a plain page).
    It must define the blocks ``title`` and ``content``; the reference site uses
    ``"courses/base.html"``.

``LMS_QUESTION_IMPORT_MAX_BYTES`` (default 5 MB) and ``LMS_QUESTION_IMPORT_MAX_ROWS`` (5,000)
    The largest question file the importer accepts.
"""

from django.conf import settings

DEFAULTS = {
    "LMS_QUIZZES_BASE_TEMPLATE": "quizzes/base.html",
    "LMS_QUESTION_IMPORT_MAX_BYTES": 5 * 1024 * 1024,
    "LMS_QUESTION_IMPORT_MAX_ROWS": 5000,
}


class AppSettings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, name, DEFAULTS[name])


app_settings = AppSettings()
