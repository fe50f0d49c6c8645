"""团队进度 in the Wagtail admin: a panel on the admin home with the current plan's headline
numbers, and a full page with the unit rollup and drill-down (unit → its people → the person's
page). Only for those who may see someone's progress (officers, managers): the panel is not
built and the page is a 403 for anyone else."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from lms.services import dashboard
from lms.services.scope import ManagerRequiredMixin, is_manager
from lms.viewsets.base import ManagerMenuItem

PANEL_UNITS = 8  # units listed on the admin-home panel
INDEX = "lms_team_progress:index"


class TeamProgressPanel(Component):
    name = "team_progress"
    template_name = "lms/admin/team_panel.html"
    order = 90

    def __init__(self, request, plan):
        self.request = request
        self.plan = plan

    def get_context_data(self, parent_context):
        overview = dashboard.team_overview(self.request.user, self.plan)
        units = overview.near_tops()
        return {
            "plan": self.plan,
            "total": overview.total,
            "units": units[:PANEL_UNITS],
            "more": max(len(units) - PANEL_UNITS, 0),
            "page_url": reverse(INDEX),
            "pace_labels": _pace_labels(),
        }


def _pace_labels():
    return {
        dashboard.AHEAD: _("Ahead"),
        dashboard.ON_TRACK: _("On track"),
        dashboard.BEHIND: _("Behind"),
    }


def add_team_panel(request, panels):
    """``construct_homepage_panels``: the panel for managers and officers with a plan to show."""
    if not is_manager(request.user):
        return
    plan = dashboard.choose_plan()
    if plan is not None:
        panels.append(TeamProgressPanel(request, plan))


class TeamProgressView(ManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The rollup of every unit I may see (``?plan=``), or one unit (``?unit=``): its sub-units,
    plan items and people."""

    template_name = "lms/admin/team_progress.html"
    page_title = gettext_lazy("Team progress")
    header_icon = "group"

    def get_breadcrumbs_items(self):
        if self.unit is None:
            return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]
        overview = f"{reverse(INDEX)}?plan={self.plan.pk}"
        return self.breadcrumbs_items + [
            {"url": overview, "label": self.get_page_title()},
            {"url": "", "label": self.unit.name},
        ]

    def get_context_data(self, **kwargs):
        self.plan = plan = dashboard.choose_plan(self.request.GET.get("plan"))
        if plan is None:
            raise Http404(_("No training plan has been published yet."))
        unit_id = self.request.GET.get("unit")
        self.unit = dashboard.visible_unit(self.request.user, unit_id) if unit_id else None
        context = super().get_context_data(**kwargs)
        context.update(plan=plan, plans=dashboard.plans_to_choose(), pace_labels=_pace_labels())
        if self.unit is not None:
            board = dashboard.unit_dashboard(self.request.user, plan, self.unit, page=1)
            board.people.object_list = board.people.paginator.object_list  # all of one unit
            context.update(unit=self.unit, board=board, units=board.rollup.units)
        else:
            context["units"] = dashboard.team_overview(self.request.user, plan).units
        return context


class TeamProgressViewSet(ViewSet):
    """团队进度 at /admin/team-progress/, with its menu item for officers and managers."""

    name = "lms_team_progress"
    url_prefix = "team-progress"
    add_to_admin_menu = True
    menu_label = gettext_lazy("Team progress")
    menu_name = "team-progress"
    menu_icon = "group"
    menu_order = 262
    menu_item_class = ManagerMenuItem

    def get_urlpatterns(self):
        return [path("", TeamProgressView.as_view(), name="index")]
