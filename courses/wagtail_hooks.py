"""Registration only: the courses app's admin areas and hooks."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .views.documents import require_login_for_document
from .views.results import course_result_notes
from .viewsets.pages import CourseContentGroup
from .viewsets.topics import TopicViewSet

register_snippet(TopicViewSet)
hooks.register("register_admin_viewset", CourseContentGroup)
hooks.register("before_serve_document", require_login_for_document)
hooks.register("attempt_result_notes", course_result_notes)
