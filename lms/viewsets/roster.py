"""The roster import at /admin/roster-import/: upload (with dry run), the page of one import run
(its progress, then what it did, and "import this file" after a dry run), the stored file and the
template download. The import itself runs as a task (``lms.tasks.import_roster_task``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from lms.conf import app_settings
from lms.models import Position, RosterImport, StaffProfile
from lms.services.roster import runs
from lms.services.roster.reading import template_workbook
from lms.tasks import import_roster_task
from quizzes.forms import SpreadsheetForm
from quizzes.importing.sheets import too_big
from quizzes.viewsets.importing import ImportMenuItem, ImportPermissionMixin, xlsx_attachment

RECENT_RUNS = 20  # listed under the upload form

# Explicit, so that a missing policy registration can never turn the check off.
permission_policy = ModelPermissionPolicy(StaffProfile)
position_policy = ModelPermissionPolicy(Position)


class RosterImportForm(SpreadsheetForm):
    create_positions = forms.BooleanField(
        label=gettext_lazy("Create missing positions"),
        required=False,
        help_text=gettext_lazy(
            "Positions the file names that do not exist yet are created; otherwise they are errors."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dry_run"].initial = True
        self.fields["file"].help_text = _(
            ".xlsx or .csv (UTF-8 or GB18030), at most %(size)d MB and %(rows)d people."
        ) % {
            "size": app_settings.LMS_ROSTER_IMPORT_MAX_BYTES // (1024 * 1024),
            "rows": app_settings.LMS_ROSTER_IMPORT_MAX_ROWS,
        }
        # Creating positions is for those allowed to add positions.
        if user is None or not position_policy.user_has_permission(user, "add"):
            del self.fields["create_positions"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = app_settings.LMS_ROSTER_IMPORT_MAX_BYTES
        if upload.size > limit:  # refused before it is stored
            raise ValidationError(too_big(limit))
        return upload


class RosterImportPermissionMixin(ImportPermissionMixin):
    permission_policy = permission_policy


class RosterImportView(RosterImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "lms/admin/roster_import.html"
    form_class = RosterImportForm
    page_title = gettext_lazy("Import roster")
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Download template"),
                reverse("lms_roster_import:template"),
                icon_name="download",
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("lms_roster_import:import"),
            template_url=reverse("lms_roster_import:template"),
            recent_runs=RosterImport.objects.select_related("uploaded_by").defer("details")[
                :RECENT_RUNS
            ],
        )
        return context

    def form_valid(self, form):
        run = runs.create_run(
            form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            create_positions=form.cleaned_data.get("create_positions", False),
            user=self.request.user,
            language=get_language(),
        )
        import_roster_task.enqueue(run.pk)
        return redirect("lms_roster_import:run", run.pk)


class RosterImportRunView(RosterImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """One upload: queued / running (the page reloads itself), then what it did or would do."""

    template_name = "lms/admin/roster_import_run.html"
    page_title = gettext_lazy("Import roster")
    header_icon = "group"

    @cached_property
    def run(self):  # looked up after the permission check
        return get_object_or_404(
            RosterImport.objects.select_related("uploaded_by", "confirms"), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.run.filename

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("lms_roster_import:import"), "label": _("Import roster")},
            {"url": "", "label": self.run.filename},
        ]

    def get_context_data(self, **kwargs):
        run = self.run
        confirmation = runs.confirmation_of(run)
        finished = run.status == RosterImport.FINISHED
        return super().get_context_data(
            run=run,
            state=runs.state_of(run),
            report={**run.outcome, **run.details} if finished else None,
            run_report=runs.stored_report(run) if finished else None,
            confirmation=confirmation,
            can_confirm=confirmation is None and runs.confirmable(run),
            **kwargs,
        )


class RosterImportConfirmView(RosterImportPermissionMixin, View):
    """POST: import the file of a finished dry run, without uploading it again."""

    def post(self, request, pk):
        dry_run = get_object_or_404(RosterImport, pk=pk)
        try:
            run = runs.confirm_run(dry_run, user=request.user, language=get_language())
        except runs.AlreadyConfirmed:
            messages.warning(request, _("This file has been imported already."))
            return redirect("lms_roster_import:run", pk)
        except runs.NotConfirmable:
            messages.error(request, _("Only a dry run without problems can be imported."))
            return redirect("lms_roster_import:run", pk)
        import_roster_task.enqueue(run.pk)
        return redirect("lms_roster_import:run", run.pk)


class RosterImportFileView(RosterImportPermissionMixin, View):
    """The file of a run, as uploaded."""

    def get(self, request, pk):
        run = get_object_or_404(RosterImport, pk=pk)
        try:
            stored = run.file.open("rb")
        except OSError as error:  # removed from the media storage by hand
            raise Http404(_("The file of this import is no longer stored.")) from error
        return FileResponse(stored, as_attachment=True, filename=run.filename)


class RosterTemplateView(RosterImportPermissionMixin, View):
    def get(self, request):
        return xlsx_attachment(template_workbook(), "roster-import-template.xlsx")


class RosterImportMenuItem(ImportMenuItem):
    permission_policy = permission_policy


class RosterImportViewSet(ViewSet):
    """The roster import's pages, and its menu item for those who may add staff."""

    name = "lms_roster_import"
    url_prefix = "roster-import"
    add_to_admin_menu = True
    menu_label = gettext_lazy("Import roster")
    menu_name = "roster-import"
    menu_icon = "group"
    menu_order = 260
    menu_item_class = RosterImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", RosterImportView.as_view(), name="import"),
            path("template/", RosterTemplateView.as_view(), name="template"),
            path("runs/<dbid:pk>/", RosterImportRunView.as_view(), name="run"),
            path("runs/<dbid:pk>/confirm/", RosterImportConfirmView.as_view(), name="confirm"),
            path("runs/<dbid:pk>/file/", RosterImportFileView.as_view(), name="file"),
        ]
