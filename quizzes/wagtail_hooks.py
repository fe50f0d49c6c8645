from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import admin_urls
from .views import marking
from .views.analytics import question_analysis_menu_item, quiz_results_menu_item
from .views.importing import import_menu_item
from .viewsets import QuizzesGroup

register_snippet(QuizzesGroup)


@hooks.register("register_admin_urls")
def register_question_import_urls():
    return [path("questions/import/", include(admin_urls))]


@hooks.register("register_admin_urls")
def register_quiz_report_urls():
    return [path("quiz-reports/", include("quizzes.analytics_urls"))]


@hooks.register("register_admin_urls")
def register_marking_urls():
    return [path("marking/", include((marking.urlpatterns, "lms_quizzes_marking")))]


hooks.register("register_admin_menu_item", import_menu_item)
hooks.register("register_admin_menu_item", marking.marking_menu_item)
hooks.register("register_reports_menu_item", quiz_results_menu_item)
hooks.register("register_reports_menu_item", question_analysis_menu_item)
