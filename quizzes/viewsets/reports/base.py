"""What the quiz reports share: their URL namespace, who may see them (users with
``lms_quizzes.change_quiz``: trainers, officers) and how they print numbers."""

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from ...models import Quiz

URL_NAMESPACE = "lms_quiz_analytics"
permission_policy = ModelPermissionPolicy(Quiz)


def can_view_analytics(user):
    return permission_policy.user_has_permission(user, "change")


class AnalyticsPermissionMixin(PermissionCheckedMixin):
    permission_policy = permission_policy
    permission_required = "change"


def fixed(value, places=2):
    return "—" if value is None else f"{value:.{places}f}"


def percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


class TemplateColumn(Column):
    """A column whose cells are rendered by a template of this app."""

    def __init__(self, name, cell_template_name, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = cell_template_name
