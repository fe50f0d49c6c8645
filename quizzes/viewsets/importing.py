"""The question import/export area of the admin, ``/admin/questions/import/``: upload (with a
dry run), the template and the export of the whole bank. Open to users who may add questions;
the writes are ``quizzes.services.importing``'s."""

from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from ..conf import app_settings
from ..forms import ImportForm
from ..importing import (
    export_questions,
    template_workbook,
)
from ..models import Question
from ..services.importing import import_questions

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Explicit, so that a missing policy registration can never turn the check off.
permission_policy = ModelPermissionPolicy(Question)


class ImportPermissionMixin(PermissionCheckedMixin):
    """The views of an import, for users who may add what it imports (``permission_policy``:
    questions here)."""

    permission_policy = permission_policy
    permission_required = "add"


class ImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "quizzes/admin/import.html"
    form_class = ImportForm
    page_title = gettext_lazy("Import / export questions")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailsnippets_lms_quizzes_question:list"),
                "label": capfirst(Question._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Download template"),
                reverse("lms_quizzes_import:template"),
                icon_name="download",
            ),
            HeaderButton(
                _("Export all questions"),
                reverse("lms_quizzes_import:export"),
                icon_name="download",
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action_url": reverse("lms_quizzes_import:import"),
                "template_url": reverse("lms_quizzes_import:template"),
                "export_url": reverse("lms_quizzes_import:export"),
                "max_rows": app_settings.LMS_QUESTION_IMPORT_MAX_ROWS,
            }
        )
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        # One byte more than allowed is enough for the importer to refuse the file.
        report = import_questions(
            upload.read(app_settings.LMS_QUESTION_IMPORT_MAX_BYTES + 1),
            upload.name,
            dry_run=form.cleaned_data["dry_run"],
            user=self.request.user,
        )
        if report.written:
            messages.success(
                self.request,
                _("Imported %(created)d new and %(updated)d updated questions.")
                % {"created": report.created, "updated": report.updated},
            )
        elif not report.ok:
            messages.error(self.request, _("The file has problems: nothing was imported."))
        return self.render_to_response(self.get_context_data(form=form, report=report))


def xlsx_attachment(content, filename):
    """A download of the .xlsx workbook ``content`` (bytes)."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class TemplateDownloadView(ImportPermissionMixin, View):
    def get(self, request):
        return xlsx_attachment(template_workbook(), "question-import-template.xlsx")


class ExportView(ImportPermissionMixin, View):
    def get(self, request):
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_attachment(export_questions(Question.objects.all()), f"questions-{stamp}.xlsx")


class ImportMenuItem(MenuItem):
    """The menu item of an import, shown to users who may add what it imports."""

    permission_policy = permission_policy

    def is_shown(self, request):
        return self.permission_policy.user_has_permission(request.user, "add")


class QuestionImportViewSet(ViewSet):
    """Upload, template and export under ``/admin/questions/import/``, with its menu item right
    after the "Question bank" group."""

    name = "lms_quizzes_import"
    url_prefix = "questions/import"
    icon = "upload"
    menu_label = gettext_lazy("Import questions")
    menu_name = "question-import"
    menu_order = 251
    add_to_admin_menu = True
    menu_item_class = ImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", ImportView.as_view(), name="import"),
            path("template/", TemplateDownloadView.as_view(), name="template"),
            path("export/", ExportView.as_view(), name="export"),
        ]
