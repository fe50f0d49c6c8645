"""Registration only. The question bank and quizzes are snippets under one menu group; every
other admin area is a ViewSet in ``quizzes.viewsets`` that owns its URLs, menu item and
permission check: the question import/export, the overrides, the marking queue and the quiz
reports."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .viewsets.bank import QuizzesGroup
from .viewsets.importing import QuestionImportViewSet
from .viewsets.marking import MarkingViewSet
from .viewsets.overrides import QuizOverrideViewSet
from .viewsets.reports import QuizReportsViewSet

register_snippet(QuizzesGroup)
hooks.register("register_admin_viewset", QuestionImportViewSet)
hooks.register("register_admin_viewset", QuizOverrideViewSet)
hooks.register("register_admin_viewset", MarkingViewSet)
hooks.register("register_admin_viewset", QuizReportsViewSet)
