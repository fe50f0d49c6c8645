"""Admin views of the training menu: the listing/edit/delete tweaks the ViewSets use, and the
plan actions (publish or sync with visible progress, close). URLs of the plan actions are in
``admin_urls``; the ViewSets in ``viewsets``."""

from django.contrib.admin.utils import quote
from django.db import router, transaction
from django.db.models import Count, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from lms.admin_forms import unit_path_labels
from lms.models import OrgUnit, StaffProfile, TrainingPlan
from lms.services import close_plan
from lms.tasks import (
    FAILED,
    FINISHED,
    QUEUED,
    RUNNING,
    TASK_ID_RE,
    mark_queued,
    publish_plan_task,
    read_progress,
    run_in_progress,
)

PLAN_INDEX = "lms_trainingplan:index"
PLAN_EDIT = "lms_trainingplan:edit"
ITEM_INDEX = "lms_planitem:index"


# --- Generic pieces ------------------------------------------------------------------------


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


class OrgUnitDeleteView(ProtectedDeleteView):
    def delete_targets(self):
        # treebeard deletes the whole subtree.
        return OrgUnit.objects.filter(path__startswith=self.object.path)

    def blocked_message(self, error):
        staff = StaffProfile.objects.filter(org_unit__path__startswith=self.object.path).count()
        if staff:
            return _(
                "“%(unit)s” cannot be deleted: %(count)d staff members belong to it or to a unit "
                "below it. Move them to another unit first, or mark this unit inactive."
            ) % {"unit": self.object, "count": staff}
        return _(
            "“%(unit)s” cannot be deleted: assignments or completion records are credited to it "
            "or to a unit below it, and they are kept as evidence. Mark the unit inactive instead."
        ) % {"unit": self.object}


def _title_column(view, name, **kwargs):
    """The listing's first column: links to edit, or to inspect where editing is not allowed."""
    column_class = view._get_title_column_class(TitleColumn)
    return column_class(
        name,
        get_url=lambda obj: view.get_edit_url(obj) or view.get_inspect_url(obj),
        **kwargs,
    )


# --- Listings ------------------------------------------------------------------------------


class OrgUnitIndexView(generic.IndexView):
    """The tree in order, each unit indented under its parent and with its full path."""

    default_ordering = "path"

    @cached_property
    def path_labels(self):
        return unit_path_labels()

    @staticmethod
    def indented_name(unit):
        if unit.depth <= 1:
            return unit.name
        return "\u3000" * (unit.depth - 2) + "└ " + unit.name

    @cached_property
    def columns(self):
        return [
            _title_column(
                self,
                "name",
                label=gettext_lazy("name"),
                accessor=self.indented_name,
                sort_key="path",
            ),
            Column(
                "full_path",
                label=gettext_lazy("Full path"),
                accessor=lambda unit: self.path_labels.get(unit.path, unit.name),
            ),
            Column("code", label=gettext_lazy("code"), sort_key="code"),
            Column("kind", label=gettext_lazy("kind"), accessor="get_kind_display"),
            BooleanColumn("is_active", label=gettext_lazy("active")),
        ]


class StaffIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("org_unit", "position")


class PlanItemIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("plan")


class CompletionRecordIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("staff", "user", "credited_unit")


def plan_action_buttons(plan, button_class=Button):
    """Publish / sync, close and the items of ``plan``, as admin buttons."""
    buttons = [
        button_class(
            _("Items"),
            url=reverse(ITEM_INDEX) + f"?plan={plan.pk}",
            icon_name="list-ul",
            priority=40,
        )
    ]
    if plan.status == TrainingPlan.DRAFT:
        label = _("Publish")
    elif plan.status == TrainingPlan.PUBLISHED:
        label = _("Sync assignments")
    else:
        label = None
    if label:
        buttons.append(
            button_class(
                label,
                url=reverse("lms_plan_actions:publish", args=(plan.pk,)),
                icon_name="upload",
                priority=41,
            )
        )
    if plan.status == TrainingPlan.PUBLISHED:
        buttons.append(
            button_class(
                _("Close plan"),
                url=reverse("lms_plan_actions:close", args=(plan.pk,)),
                icon_name="lock",
                priority=42,
            )
        )
    return buttons


class TrainingPlanIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(item_count=Count("items"))

    @cached_property
    def columns(self):
        return [
            _title_column(self, "title", label=gettext_lazy("title"), sort_key="title"),
            Column("year", label=gettext_lazy("year"), sort_key="year"),
            Column("status", label=gettext_lazy("status"), accessor="get_status_display"),
            Column("required_hours", label=gettext_lazy("required credit hours")),
            Column("item_count", label=gettext_lazy("Items")),
            DateColumn("published_at", label=gettext_lazy("published at")),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons += plan_action_buttons(instance)
        return buttons


class TrainingPlanEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        if not self.user_has_permission("change"):
            return []
        return plan_action_buttons(self.object, HeaderButton)


# --- Plan actions: publish / sync with progress, close -------------------------------------

plan_permission_policy = ModelPermissionPolicy(TrainingPlan)


class PlanActionMixin(PermissionCheckedMixin):
    """Only users with ``lms_core.change_trainingplan`` act on plans. Explicit policy, so a
    missing registration can never turn the check off."""

    permission_policy = plan_permission_policy
    permission_required = "change"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.plan = get_object_or_404(TrainingPlan, pk=kwargs["pk"])


class PlanActionPageMixin(PlanActionMixin, WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def get_page_subtitle(self):
        return str(self.plan)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(PLAN_INDEX), "label": capfirst(TrainingPlan._meta.verbose_name_plural)},
            {"url": reverse(PLAN_EDIT, args=(self.plan.pk,)), "label": str(self.plan)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        context["plan_url"] = reverse(PLAN_EDIT, args=(self.plan.pk,))
        return context


def progress_message(data):
    state = data.get("state")
    if state == QUEUED:
        return _("Waiting for a worker to start publishing…")
    if state == RUNNING:
        return _("Publishing: %(done)s of %(total)s items done.") % {
            "done": data.get("done") or 0,
            "total": data.get("total") if data.get("total") is not None else "?",
        }
    if state == FINISHED:
        return _("Finished: %(created)s new assignments for %(total)s items.") % {
            "created": data.get("created") or 0,
            "total": data.get("total") or 0,
        }
    if state == FAILED:
        return _("Publishing failed: %(error)s") % {"error": data.get("error") or "?"}
    return _("This plan has not been published from here recently.")


def plan_progress(plan, task_id=None):
    """What the progress page and its JSON show: the stored progress, with a message."""
    data = read_progress(plan.pk, task_id)
    data["message"] = progress_message(data)
    data["plan_status"] = plan.status
    data["plan_status_label"] = str(plan.get_status_display())
    return data


class PlanPublishView(PlanActionPageMixin, TemplateView):
    """GET: what publishing (or syncing) will do. POST: enqueue the task, show its progress."""

    template_name = "lms/admin/plan_publish.html"

    def get_page_title(self):
        if self.plan.status == TrainingPlan.PUBLISHED:
            return _("Sync assignments")
        return _("Publish plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            is_sync=self.plan.status == TrainingPlan.PUBLISHED,
            is_closed=self.plan.status == TrainingPlan.CLOSED,
            item_count=self.plan.items.count(),
            run_in_progress=run_in_progress(self.plan.pk),
            progress_url=reverse("lms_plan_actions:progress", args=(self.plan.pk,)),
        )
        return context

    def post(self, request, *args, **kwargs):
        plan = self.plan
        progress_url = reverse("lms_plan_actions:progress", args=(plan.pk,))
        if plan.status == TrainingPlan.CLOSED:
            messages.error(request, _("A closed plan cannot be published again."))
            return redirect(PLAN_EDIT, plan.pk)
        if run_in_progress(plan.pk):
            messages.warning(request, _("This plan is already being published."))
            return redirect(progress_url)
        log(
            instance=plan,
            action="lms.plan_sync" if plan.status == TrainingPlan.PUBLISHED else "lms.plan_publish",
            user=request.user,
        )
        mark_queued(plan.pk)
        result = publish_plan_task.enqueue(plan.pk)
        return redirect(f"{progress_url}?task={result.id}")


class PlanProgressView(PlanActionPageMixin, TemplateView):
    template_name = "lms/admin/plan_progress.html"
    page_title = gettext_lazy("Publishing progress")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task_id = self.request.GET.get("task", "")
        json_url = reverse("lms_plan_actions:progress_json", args=(self.plan.pk,))
        if task_id and TASK_ID_RE.match(task_id):
            json_url += f"?task={task_id}"
        context.update(progress=plan_progress(self.plan, task_id), json_url=json_url)
        return context


class PlanProgressJsonView(PlanActionMixin, View):
    """``{"state", "done", "total", "created", "finished_at", "error", "message", ...}``."""

    def get(self, request, *args, **kwargs):
        return JsonResponse(plan_progress(self.plan, request.GET.get("task")))


class PlanCloseView(PlanActionPageMixin, TemplateView):
    """Published → closed: no more syncing, items frozen; records and assignments stay."""

    template_name = "lms/admin/plan_close.html"
    page_title = gettext_lazy("Close plan")

    def post(self, request, *args, **kwargs):
        if close_plan(self.plan):
            self.plan.refresh_from_db()
            log(instance=self.plan, action="lms.plan_close", user=request.user)
            messages.success(request, _("Plan “%(plan)s” closed.") % {"plan": self.plan})
        else:
            messages.error(request, _("Only a published plan can be closed."))
        return redirect(PLAN_EDIT, self.plan.pk)
