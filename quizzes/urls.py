from django.urls import path

from .views import learner

app_name = "quizzes"

urlpatterns = [
    path("", learner.quiz_list, name="list"),
    path("progress/", learner.progress, name="progress"),
    path("<int:quiz_id>/", learner.quiz_detail, name="detail"),
    path("<int:quiz_id>/start/", learner.start, name="start"),
    path("attempts/<int:attempt_id>/", learner.attempt, name="attempt"),
    path("attempts/<int:attempt_id>/answer/", learner.answer, name="answer"),
    path("attempts/<int:attempt_id>/submit/", learner.submit, name="submit"),
    path("attempts/<int:attempt_id>/event/", learner.event, name="event"),
]
