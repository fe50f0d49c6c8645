"""What the training admin areas share: a permission policy that refuses some actions to
everyone, the ViewSet base of the training menu, a delete view that explains what blocks a
deletion, the listing's title column, and a menu item shown only to those who may see someone's
progress."""

from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, StatusFlagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from lms.services.scope import is_manager


class DateTimeColumn(Column):
    """A date and time (``2026-12-12 09:30``, the site's time zone) with, when it is to come, how
    far ahead by the calendar (“6天后”, “今天”). Wagtail's ``DateColumn`` reads a future time
    as “刚刚” (just now): it only knows the past."""

    cell_template_name = "lms/admin/tables/datetime_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context.get("value")
        context["when"] = ahead_label(value) if value else ""
        return context


def ahead_label(moment, now=None):
    """How far ahead ``moment`` is in calendar days of the site's time zone: "in 6 days",
    "today" (later today); ``""`` once it has passed."""
    now = now or timezone.now()
    if moment <= now:
        return ""
    days = (timezone.localdate(moment) - timezone.localdate(now)).days
    if days <= 0:
        return _("today")
    return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}


def flag_column(model, name, true_label, false_label):
    """A boolean field of ``model`` in a listing as a translated tag (必修 / 选修, 在职 / 离职)
    rather than the ``True`` / ``False`` a plain column prints."""
    return StatusFlagColumn(
        name,
        label=model._meta.get_field(name).verbose_name,
        sort_key=name,
        classname="w-whitespace-nowrap",
        true_label=true_label,
        false_label=false_label,
    )


class RestrictedPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, minus actions nobody may take through the admin (superusers
    included): staff are never deleted, records never added, changed or deleted by hand."""

    def __init__(self, model, forbidden_actions, **kwargs):
        super().__init__(model, **kwargs)
        self.forbidden_actions = frozenset(forbidden_actions)

    def user_has_permission(self, user, action):
        return action not in self.forbidden_actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.forbidden_actions]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


class ProtectedDeleteView(generic.DeleteView):
    """Deletes, or explains why not. Objects still used by staff, assignments or records are
    protected by the database (PROTECT), which Wagtail's reference index does not see (those
    models are left out of it), so the check is Django's own deletion collector."""

    template_name = "lms/admin/confirm_delete.html"

    def delete_targets(self):
        return [self.object]

    @cached_property
    def blocking_error(self):
        collector = Collector(using=router.db_for_write(self.model))
        try:
            collector.collect(self.delete_targets())
        except (ProtectedError, RestrictedError) as error:
            return error
        return None

    def blocked_message(self, error):
        blocking = getattr(error, "protected_objects", None) or getattr(
            error, "restricted_objects", ()
        )
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
        return _(
            "“%(object)s” cannot be deleted: %(kinds)s still refer to it. Mark it inactive "
            "instead, or change those first."
        ) % {"object": self.object, "kinds": ", ".join(kinds) or "?"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.blocking_error is not None:
            context["is_protected"] = True
            context["blocked_message"] = self.blocked_message(self.blocking_error)
        return context

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError) as error:
            messages.error(self.request, self.blocked_message(error))
            if self.edit_url_name:
                return redirect(self.edit_url_name, quote(self.object.pk))
            return redirect(self.index_url_name)


class TrainingViewSet(ModelViewSet):
    """Common to the training ViewSets: no copy view (a verbatim copy of a unit, person or plan
    is never what is meant; plans have their own "copy to next year" action) and deletions that
    explain what blocks them."""

    copy_view_enabled = False
    delete_view_class = ProtectedDeleteView


def title_column(view, name, **kwargs):
    """The listing's first column: links to edit, or to inspect where editing is not allowed."""
    column_class = view._get_title_column_class(TitleColumn)
    return column_class(
        name,
        get_url=lambda obj: view.get_edit_url(obj) or view.get_inspect_url(obj),
        **kwargs,
    )


class ManagerMenuItem(MenuItem):
    """Shown to officers and managers only (the views check it again)."""

    def is_shown(self, request):
        return is_manager(request.user)
