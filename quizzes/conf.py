"""Settings of the quizzes app, read lazily (``override_settings`` works).

``LMS_QUIZZES_BASE_TEMPLATE``
    The template the learner quiz pages extend (default ``"quizzes/base.html"``, a plain page).
    It must define the blocks ``title`` and ``content``; the reference site uses
    ``"courses/base.html"``.

``LMS_QUESTION_IMPORT_MAX_BYTES`` (default 5 MB) and ``LMS_QUESTION_IMPORT_MAX_ROWS`` (5,000)
    The largest question file the importer accepts.

``LMS_QUIZZES_MISTAKES_URL_NAME`` (default ``"lms:mistakes"``)
    The URL name of the mistake book, where the host includes ``quizzes.mistake_urls``; the quiz
    pages link to it when it resolves.

``LMS_QUIZ_ANSWER_GRACE_SECONDS`` (default 60)
    How long after an attempt's deadline the server still accepts its answers (a phone whose
    answer failed to save on a flaky network retries it); after that it refuses them, and the
    attempt is submitted with what was saved.
"""

from django.conf import settings

DEFAULTS = {
    "LMS_QUIZZES_BASE_TEMPLATE": "quizzes/base.html",
    "LMS_QUESTION_IMPORT_MAX_BYTES": 5 * 1024 * 1024,
    "LMS_QUESTION_IMPORT_MAX_ROWS": 5000,
    "LMS_QUIZ_ANSWER_GRACE_SECONDS": 60,
    "LMS_QUIZZES_MISTAKES_URL_NAME": "lms:mistakes",
}


class AppSettings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, name, DEFAULTS[name])


app_settings = AppSettings()
