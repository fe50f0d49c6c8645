"""Admin pages of the question import/export: upload (with dry run), template, export."""

from django import forms
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
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
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from ..conf import app_settings
from ..importing import (
    export_questions,
    template_workbook,
)
from ..models import Question
from ..services.importing import import_questions

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Explicit, so that a missing policy registration can never turn the check off.
permission_policy = ModelPermissionPolicy(Question)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run"),
        required=False,
        help_text=gettext_lazy("Check the file and show what would change, without importing."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            ".xlsx or .csv (UTF-8 or GB18030), at most %(size)d MB and %(rows)d questions."
        ) % {
            "size": app_settings.LMS_QUESTION_IMPORT_MAX_BYTES // (1024 * 1024),
            "rows": app_settings.LMS_QUESTION_IMPORT_MAX_ROWS,
        }


class ImportPermissionMixin(PermissionCheckedMixin):
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


def _attachment(content, filename):
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class TemplateDownloadView(ImportPermissionMixin, View):
    def get(self, request):
        return _attachment(template_workbook(), "question-import-template.xlsx")


class ExportView(ImportPermissionMixin, View):
    def get(self, request):
        stamp = timezone.localdate().strftime("%Y%m%d")
        return _attachment(export_questions(Question.objects.all()), f"questions-{stamp}.xlsx")


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_permission(request.user, "add")


def import_menu_item():
    return ImportMenuItem(
        gettext_lazy("Import questions"),
        reverse_lazy("lms_quizzes_import:import"),
        name="question-import",
        icon_name="upload",
        order=251,  # right after the "Question bank" group
    )
