"""The mistake book's pages, for a host to include inside its own namespace (CP-LMS:
``path("learn/mistakes/", include(mistake_urls))`` in ``lms``, giving ``lms:mistakes``,
``lms:mistakes_practice`` and ``lms:practice_round``)."""

from django.urls import path

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)

from .views import mistakes

urlpatterns = [
    path("", mistakes.mistakes, name="mistakes"),
    path("practice/", mistakes.practice_start, name="mistakes_practice"),
    path("practice/<dbid:practice_id>/", mistakes.practice_round, name="practice_round"),
]
