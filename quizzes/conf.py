"""Settings of the quizzes app, read lazily (``override_settings`` works).

``LMS_QUIZZES_BASE_TEMPLATE``
    The template the learner quiz pages extend (default ``"quizzes/base.html"``, a plain page).
    It must define the blocks ``title`` and ``content``; the reference site uses
    ``"courses/base.html"``.

``LMS_QUESTION_IMPORT_MAX_BYTES`` (default 5 MB) and ``LMS_QUESTION_IMPORT_MAX_ROWS`` (5,000)
    The largest question file the importer accepts.

Bounds of every spreadsheet import (questions, roster, attendance sheets), checked by the shared
reader ``quizzes.importing.sheets`` so that a file small on disk but huge inside is refused early:

``LMS_IMPORT_MAX_UNCOMPRESSED_BYTES`` (default 50 MB)
    The most an .xlsx may unpack to, all its parts together (checked before it is parsed).

``LMS_IMPORT_MAX_COMPRESSION_RATIO`` (default 100)
    The highest compression ratio of a part of an .xlsx over 1 MB unpacked (a zip bomb is about
    1,000 to 1; ordinary sheets are well under 20).

``LMS_IMPORT_MAX_ZIP_PARTS`` (default 500)
    The most parts (zip members) an .xlsx may have.

``LMS_IMPORT_BLANK_ROW_MARGIN`` (default 1,000)
    The rows a file may have past the header and the import's most rows (``…_MAX_ROWS``): the
    reader stops at the first row past that, blank rows counted.

``LMS_IMPORT_MAX_CELLS`` (default 1,000,000)
    The most cells read from a file, blank cells counted (as declared in the sheet and as read).

``LMS_IMPORT_MAX_SECONDS`` (default 60)
    The longest reading a file may take; the reader stops at the row it is on.

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
    "LMS_IMPORT_MAX_UNCOMPRESSED_BYTES": 50 * 1024 * 1024,
    "LMS_IMPORT_MAX_COMPRESSION_RATIO": 100,
    "LMS_IMPORT_MAX_ZIP_PARTS": 500,
    "LMS_IMPORT_BLANK_ROW_MARGIN": 1000,
    "LMS_IMPORT_MAX_CELLS": 1_000_000,
    "LMS_IMPORT_MAX_SECONDS": 60,
}


class AppSettings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, name, DEFAULTS[name])


app_settings = AppSettings()
