"""Admin URLs of the question import/export, mounted by wagtail_hooks under /admin/."""

from django.urls import path

from .views import importing

app_name = "lms_quizzes_import"

urlpatterns = [
    path("", importing.ImportView.as_view(), name="import"),
    path("template/", importing.TemplateDownloadView.as_view(), name="template"),
    path("export/", importing.ExportView.as_view(), name="export"),
]
