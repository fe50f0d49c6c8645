"""Two hardenings of Wagtail's own admin reports, applied once from ``LmsConfig.ready()``
(Wagtail has no hook for either; both wrap a method of a Wagtail class and keep its behaviour
otherwise):

- The site history (``/admin/reports/site-history/``, its results and exports) is refused
  (``PermissionDenied``) to anyone Wagtail itself would not show it to in the Reports menu:
  people with no page they may explore. Wagtail leaves the view open to every admin user and
  lists each logged object of any model the user has a permission on, across all units: a
  manager given ``view_completionrecord`` would read every unit's records there.
- Every Wagtail spreadsheet export (``SpreadsheetExportMixin``: the site history, the page
  reports, snippet and model listings with ``?export=csv`` or ``xlsx``) neutralises text cells
  that a spreadsheet would run as a formula (``=HYPERLINK(…)`` in a page title), with the rule
  of our own exports, ``lms.services.exports.neutralise``.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from lms.services.exports import neutralise

_MARK = "_lms_hardened"


def may_see_site_history(user):
    """Wagtail's own rule for showing the site history in the menu: an explorable page."""
    if user.is_superuser:
        return True
    return policy_registry.get_by_type(Page).explorable_root_instance(user) is not None


def _refusing_dispatch(dispatch):
    @wraps(dispatch)
    def checked(self, request, *args, **kwargs):
        if not may_see_site_history(request.user):
            raise PermissionDenied
        return dispatch(self, request, *args, **kwargs)

    return checked


def _neutralising(preprocess):
    @wraps(preprocess)
    def safe(self, field, value, export_format):
        return neutralise(preprocess(self, field, value, export_format))

    return safe


def harden_wagtail_reports():
    """Apply both (see the module docstring); safe to call more than once."""
    if getattr(SpreadsheetExportMixin, _MARK, False):
        return
    LogEntriesView.dispatch = _refusing_dispatch(LogEntriesView.dispatch)
    SpreadsheetExportMixin.preprocess_field_value = _neutralising(
        SpreadsheetExportMixin.preprocess_field_value
    )
    setattr(SpreadsheetExportMixin, _MARK, True)
