"""Registration only: the courses app's admin areas and hooks."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .views.documents import require_login_for_document
from .viewsets.topics import TopicViewSet

register_snippet(TopicViewSet)
hooks.register("before_serve_document", require_login_for_document)
