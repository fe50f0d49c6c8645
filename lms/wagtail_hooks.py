"""Registration only: the training admin (people, plans, records), its plan actions, the
roster import, the training reports and team progress. The views live in admin_views, viewsets,
roster_views, report_views, transcript_views and team_admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms import admin_urls, report_urls, roster_urls
from lms.models import CompletionRecord, StaffProfile
from lms.report_views import ManagerMenuItem
from lms.roster_views import roster_import_menu_item
from lms.team_admin import TeamProgressView, add_team_panel, team_progress_menu_item
from lms.viewsets import TrainingGroup, record_permission_policy, staff_permission_policy

# Before anything asks for these models' policies (Wagtail would create a default one).
register_permission_policy(StaffProfile, staff_permission_policy)
register_permission_policy(CompletionRecord, record_permission_policy)


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingGroup()


@hooks.register("register_admin_urls")
def register_plan_action_urls():
    return [path("training/plan-actions/", include(admin_urls))]


@hooks.register("register_log_actions")
def register_plan_log_actions(actions):
    actions.register_action("lms.plan_publish", _("Publish plan"), _("Plan publishing started"))
    actions.register_action("lms.plan_sync", _("Sync plan"), _("Plan assignments synced"))
    actions.register_action("lms.plan_close", _("Close plan"), _("Plan closed"))


@hooks.register("register_admin_urls")
def register_roster_import_urls():
    return [path("roster-import/", include(roster_urls))]


hooks.register("register_admin_menu_item", roster_import_menu_item)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("training/", include(report_urls))]


@hooks.register("register_reports_menu_item")
def register_completion_report_menu_item():
    return ManagerMenuItem(
        _("Training completion"),
        reverse("lms_reports:assignments"),
        name="training-completion",
        icon_name="tasks",
        order=1300,
    )


@hooks.register("register_reports_menu_item")
def register_record_report_menu_item():
    return ManagerMenuItem(
        _("Completion records"),
        reverse("lms_reports:records"),
        name="training-records",
        icon_name="doc-full",
        order=1310,
    )


@hooks.register("register_reports_menu_item")
def register_evidence_menu_item():
    return ManagerMenuItem(
        _("Evidence export"),
        reverse("lms_reports:evidence"),
        name="training-evidence",
        icon_name="download",
        order=1320,
    )


@hooks.register("register_admin_urls")
def register_team_progress_urls():
    return [path("team-progress/", TeamProgressView.as_view(), name="lms_team_progress")]


hooks.register("register_admin_menu_item", team_progress_menu_item)
hooks.register("construct_homepage_panels", add_team_panel)
