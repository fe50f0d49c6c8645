"""The plan actions' pages under /admin/training/plan-actions/: publish (or sync) with visible
progress, close, and copy to next year. Only users who may change plans publish and close them;
only those who may add plans copy one."""

import re

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from lms.models import PlanPublication, TrainingPlan
from lms.services import publishing
from lms.services.plan_copy import PlanCopyError, copy_plan
from lms.services.plans import close_plan
from lms.tasks import publish_plan_task

#: A django-tasks result id, as the progress page passes it on.
TASK_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PLAN_INDEX = "lms_trainingplan:index"
PLAN_EDIT = "lms_trainingplan:edit"


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
    if state == PlanPublication.QUEUED:
        return _("Waiting for a worker to start publishing…")
    if state == "waiting":
        return _(
            "Still waiting for a worker to start publishing: is the task worker (db_worker) "
            "running?"
        )
    if state == "stale":
        return _(
            "Publishing stopped: its worker is no longer running. Publish again to finish; "
            "what was done is kept."
        )
    if state == PlanPublication.RUNNING:
        return _("Publishing: %(done)s of %(total)s items done.") % {
            "done": data.get("done") or 0,
            "total": data.get("total") if data.get("total") is not None else "?",
        }
    if state == PlanPublication.FINISHED:
        return _("Finished: %(created)s new assignments for %(total)s items.") % {
            "created": data.get("created") or 0,
            "total": data.get("total") or 0,
        }
    if state == PlanPublication.FAILED:
        return _("Publishing failed: %(error)s") % {"error": data.get("error") or "?"}
    return _("This plan has not been published from here recently.")


def plan_progress(plan, task_id=None):
    """What the progress page and its JSON show: the run's progress, with a message."""
    data = publishing.publication_progress(plan, task_id)
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
            run_in_progress=publishing.active_publication(self.plan) is not None,
            progress_url=reverse("lms_plan_actions:progress", args=(self.plan.pk,)),
        )
        return context

    def post(self, request, *args, **kwargs):
        plan = self.plan
        progress_url = reverse("lms_plan_actions:progress", args=(plan.pk,))
        try:
            run = publishing.start_publication(plan, request.user)
        except publishing.PlanClosed:
            messages.error(request, _("A closed plan cannot be published again."))
            return redirect(PLAN_EDIT, plan.pk)
        except publishing.AlreadyPublishing:
            messages.warning(request, _("This plan is already being published."))
            return redirect(progress_url)
        log(
            instance=plan,
            action="lms.plan_sync" if run.sync else "lms.plan_publish",
            user=request.user,
        )
        result = publish_plan_task.enqueue(plan.pk)
        # Known once enqueued (the immediate backend has run the task by now): it links the run
        # to the task's result.
        PlanPublication.objects.filter(pk=run.pk).update(task_id=result.id)
        return redirect(f"{progress_url}?task={result.id}")


class PlanProgressView(PlanActionPageMixin, TemplateView):
    template_name = "lms/admin/plan_progress.html"
    page_title = gettext_lazy("Publishing progress")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task_id = self.request.GET.get("task", "")
        json_url = reverse("lms_plan_actions:progress_json", args=(self.plan.pk,))
        if task_id and TASK_ID.match(task_id):
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


class PlanCopyView(PlanActionMixin, View):
    """POST only (a button, no page): a draft copy of the plan for the next year, then its edit
    page. Any plan may be copied, draft, published or closed; the copy is the officer's to check
    and publish."""

    permission_required = "add"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            copy = copy_plan(self.plan)
        except PlanCopyError as error:
            messages.error(request, str(error))
            return redirect(PLAN_EDIT, self.plan.pk)
        log(instance=copy, action="lms.plan_copy", user=request.user, data={"from": self.plan.pk})
        messages.success(
            request,
            _(
                "Plan “%(plan)s” created as a draft from “%(source)s”: check its dates, then "
                "publish it."
            )
            % {"plan": copy, "source": self.plan},
        )
        return redirect(PLAN_EDIT, copy.pk)


class PlanActionsViewSet(ViewSet):
    """The plan actions' URLs (no menu item: they are buttons on the plans)."""

    name = "lms_plan_actions"
    url_prefix = "training/plan-actions"

    def get_urlpatterns(self):
        return [
            path("<dbid:pk>/publish/", PlanPublishView.as_view(), name="publish"),
            path("<dbid:pk>/progress/", PlanProgressView.as_view(), name="progress"),
            path("<dbid:pk>/progress.json", PlanProgressJsonView.as_view(), name="progress_json"),
            path("<dbid:pk>/close/", PlanCloseView.as_view(), name="close"),
            path("<dbid:pk>/copy/", PlanCopyView.as_view(), name="copy"),
        ]


def register_log_actions(actions):
    """``register_log_actions``: the plan actions as they appear in the plan's history."""
    actions.register_action(
        "lms.plan_publish", gettext_lazy("Publish plan"), gettext_lazy("Plan publishing started")
    )
    actions.register_action(
        "lms.plan_sync", gettext_lazy("Sync plan"), gettext_lazy("Plan assignments synced")
    )
    actions.register_action(
        "lms.plan_close", gettext_lazy("Close plan"), gettext_lazy("Plan closed")
    )
    actions.register_action(
        "lms.plan_copy", gettext_lazy("Copy plan"), gettext_lazy("Plan copied from another year")
    )
