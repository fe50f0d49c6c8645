"""The quiz reports of the admin, ``/admin/quiz-reports/``: quiz results (with each quiz's
statistics page) and the question analysis, both in the Reports menu. Read-only, open to users
with ``lms_quizzes.change_quiz`` (trainers, officers)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)

from .base import URL_NAMESPACE, can_view_analytics
from .question_analysis import ItemAnalysisReportView
from .quiz_results import QuizResultsReportView, QuizStatisticsView


class AnalyticsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_analytics(request.user)


class QuizReportsViewSet(ViewSet):
    """Both reports under one URL prefix; one Reports-menu item each."""

    name = URL_NAMESPACE
    url_prefix = "quiz-reports"
    menu_hook = "register_reports_menu_item"
    menu_item_class = AnalyticsMenuItem

    def get_urlpatterns(self):
        return [
            path("", QuizResultsReportView.as_view(), name="quizzes"),
            path(
                "results/",
                QuizResultsReportView.as_view(results_only=True),
                name="quizzes_results",
            ),
            path("<dbid:quiz_id>/", QuizStatisticsView.as_view(), name="quiz"),
            path("questions/", ItemAnalysisReportView.as_view(), name="questions"),
            path(
                "questions/results/",
                ItemAnalysisReportView.as_view(results_only=True),
                name="questions_results",
            ),
        ]

    def get_menu_item(self, order=None):
        """The "Quiz results" item."""
        return self.menu_item_class(
            _("Quiz results"),
            reverse(self.get_url_name("quizzes")),
            name="quiz-results",
            icon_name="tasks",
            order=1300,
        )

    def get_question_analysis_menu_item(self):
        return self.menu_item_class(
            _("Question analysis"),
            reverse(self.get_url_name("questions")),
            name="question-analysis",
            icon_name="help",
            order=1310,
        )

    def register_menu_item(self):
        super().register_menu_item()
        hooks.register(self.menu_hook, self.get_question_analysis_menu_item)
