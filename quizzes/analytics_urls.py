"""Admin URLs of the quiz reports, mounted under the Wagtail admin (which checks admin
access) by ``wagtail_hooks``; each view checks ``lms_quizzes.change_quiz``."""

from django.urls import path

from .views.analytics import (
    URL_NAMESPACE,
    ItemAnalysisReportView,
    QuizResultsReportView,
    QuizStatisticsView,
)

app_name = URL_NAMESPACE
urlpatterns = [
    path("", QuizResultsReportView.as_view(), name="quizzes"),
    path("results/", QuizResultsReportView.as_view(results_only=True), name="quizzes_results"),
    path("<int:quiz_id>/", QuizStatisticsView.as_view(), name="quiz"),
    path("questions/", ItemAnalysisReportView.as_view(), name="questions"),
    path(
        "questions/results/",
        ItemAnalysisReportView.as_view(results_only=True),
        name="questions_results",
    ),
]
