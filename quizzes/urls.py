from django.urls import path

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)

from .views import learner

app_name = "quizzes"

urlpatterns = [
    path("", learner.quiz_list, name="list"),
    path("progress/", learner.progress, name="progress"),
    path("<dbid:quiz_id>/", learner.quiz_detail, name="detail"),
    path("<dbid:quiz_id>/start/", learner.start, name="start"),
    path("attempts/<dbid:attempt_id>/", learner.attempt, name="attempt"),
    path("attempts/<dbid:attempt_id>/answer/", learner.answer, name="answer"),
    path("attempts/<dbid:attempt_id>/submit/", learner.submit, name="submit"),
    path("attempts/<dbid:attempt_id>/event/", learner.event, name="event"),
]
