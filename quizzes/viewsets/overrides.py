"""Per-person quiz overrides in the admin, ``/admin/quiz-overrides/``: trainers and officers
grant an extra attempt, a later closing time, a longer time limit or an exemption, with a reason;
who and when are recorded by ``quizzes.services.grant_override``. Evidence: there is no edit
and no delete — the edit view only revokes (with a reason), and a revoked grant stays listed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .. import services
from ..exceptions import QuizError
from ..forms import QuizOverrideForm, RevokeOverrideForm
from ..models import QuizOverride


def _status(override):
    return _("Revoked") if override.revoked_at else _("In force")


class RefusalAsFormErrorMixin:
    """A refusal from the quizzes services is shown on the form, not raised."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except QuizError as error:
            form.add_error(None, ValidationError(str(error.message)))
            return self.form_invalid(form)


class GrantView(RefusalAsFormErrorMixin, generic.CreateView):
    success_message = _("Override granted to %(object)s.")

    def save_instance(self):
        data = self.form.cleaned_data
        return services.grant_override(
            data["quiz"],
            data["learner"],
            granted_by=self.request.user,
            reason=data["reason"],
            extra_attempts=data["extra_attempts"],
            closes_at=data["closes_at"],
            time_limit_minutes=data["time_limit_minutes"],
            exempt=data["exempt"],
        )


class RevokeView(RefusalAsFormErrorMixin, generic.EditView):
    success_message = _("Override revoked: %(object)s.")
    page_subtitle = _("Revoke")

    def save_instance(self):
        return services.revoke_override(
            self.object,
            revoked_by=self.request.user,
            reason=self.form.cleaned_data["revoke_reason"],
        )


class NoDeleteView(generic.DeleteView):
    """Overrides are evidence: nobody deletes them (revoke instead)."""

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class QuizOverrideViewSet(ModelViewSet):
    model = QuizOverride
    icon = "user"
    menu_label = _("Quiz overrides")
    menu_name = "quiz-overrides"
    menu_order = 252
    add_to_admin_menu = True
    url_prefix = "quiz-overrides"
    name = "lms_quiz_overrides"
    add_view_class = GrantView
    edit_view_class = RevokeView
    delete_view_class = NoDeleteView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["quiz", "exempt"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "reason"]
    list_display = [
        "user",
        "quiz",
        Column("summary", label=_("Grant"), accessor="summary"),
        "reason",
        "granted_by",
        DateColumn("granted_at", label=_("Granted at")),
        Column("status", label=_("Status"), accessor=_status),
    ]
    inspect_view_fields = [
        "quiz",
        "user",
        "extra_attempts",
        "closes_at",
        "time_limit_minutes",
        "exempt",
        "reason",
        "granted_by",
        "granted_at",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
    ]

    def get_form_class(self, for_update=False):
        return RevokeOverrideForm if for_update else QuizOverrideForm
