from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .views.analytics import question_analysis_menu_item, quiz_results_menu_item
from .viewsets.bank import QuizzesGroup
from .viewsets.importing import QuestionImportViewSet
from .viewsets.marking import MarkingViewSet

register_snippet(QuizzesGroup)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [QuestionImportViewSet(), MarkingViewSet()]


@hooks.register("register_admin_urls")
def register_quiz_report_urls():
    return [path("quiz-reports/", include("quizzes.analytics_urls"))]


hooks.register("register_reports_menu_item", quiz_results_menu_item)
hooks.register("register_reports_menu_item", question_analysis_menu_item)
