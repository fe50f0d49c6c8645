"""Admin URLs of the roster import, mounted by wagtail_hooks under /admin/roster-import/."""

from django.urls import path

from lms import roster_views

app_name = "lms_roster_import"

urlpatterns = [
    path("", roster_views.RosterImportView.as_view(), name="import"),
    path("template/", roster_views.RosterTemplateView.as_view(), name="template"),
    path("runs/<int:pk>/", roster_views.RosterImportRunView.as_view(), name="run"),
    path("runs/<int:pk>/confirm/", roster_views.RosterImportConfirmView.as_view(), name="confirm"),
    path("runs/<int:pk>/file/", roster_views.RosterImportFileView.as_view(), name="file"),
]
