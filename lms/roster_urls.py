"""Admin URLs of the roster import, mounted by wagtail_hooks under /admin/roster-import/."""

from django.urls import path

from . import roster_views

app_name = "lms_roster_import"

urlpatterns = [
    path("", roster_views.RosterImportView.as_view(), name="import"),
    path("template/", roster_views.RosterTemplateView.as_view(), name="template"),
]
