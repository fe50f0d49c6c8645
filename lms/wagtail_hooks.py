"""Registration only. Each admin area is a ViewSet in ``lms.viewsets`` that owns its URLs, menu
item and permission checks: the training menu (units, positions, staff, plans and items, offline
sessions, completion records), the plan actions, the roster import, the training reports with
the evidence export, the annual training summary, first-login activation codes, and team
progress (with its panel on the admin home), and the complaint register."""

from wagtail import hooks

from lms.signal_handlers import chain_attempt_records_last
from lms.viewsets.activation import ActivationCodesViewSet
from lms.viewsets.annual_report import AnnualReportViewSet
from lms.viewsets.complaint_loop import ComplaintLoopViewSet
from lms.viewsets.complaints import ComplaintViewSet
from lms.viewsets.plan_actions import PlanActionsViewSet, register_log_actions
from lms.viewsets.reports import ReportsViewSet
from lms.viewsets.roster import RosterImportViewSet
from lms.viewsets.team import TeamProgressViewSet, add_team_panel
from lms.viewsets.training import TrainingGroup

hooks.register("register_admin_viewset", TrainingGroup)
hooks.register("register_admin_viewset", PlanActionsViewSet)
hooks.register("register_admin_viewset", RosterImportViewSet)
hooks.register("register_admin_viewset", ActivationCodesViewSet)
hooks.register("register_admin_viewset", ReportsViewSet)
hooks.register("register_admin_viewset", AnnualReportViewSet)
hooks.register("register_admin_viewset", ComplaintLoopViewSet)
hooks.register("register_admin_viewset", TeamProgressViewSet)
hooks.register("register_admin_viewset", ComplaintViewSet)
hooks.register("register_log_actions", register_log_actions)
hooks.register("construct_homepage_panels", add_team_panel)
hooks.register("finalizing_attempt", chain_attempt_records_last)
