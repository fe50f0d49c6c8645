"""Admin pages of the roster import: upload (with dry run) and the template download."""

from django import forms
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
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

from .importing.roster import roster_setting, template_workbook
from .models import Position, StaffProfile
from .services.roster import import_roster

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_LISTED = 500  # changes and errors shown on the page; the command lists them all

# Explicit, so that a missing policy registration can never turn the check off.
permission_policy = ModelPermissionPolicy(StaffProfile)
position_policy = ModelPermissionPolicy(Position)


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Check the file and show what would change, without importing."),
    )
    create_positions = forms.BooleanField(
        label=gettext_lazy("Create missing positions"),
        required=False,
        help_text=gettext_lazy(
            "Positions the file names that do not exist yet are created; otherwise they are errors."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            ".xlsx or .csv (UTF-8 or GB18030), at most %(size)d MB and %(rows)d people."
        ) % {
            "size": roster_setting("LMS_ROSTER_IMPORT_MAX_BYTES") // (1024 * 1024),
            "rows": roster_setting("LMS_ROSTER_IMPORT_MAX_ROWS"),
        }
        # Creating positions is for those allowed to add positions.
        if user is None or not position_policy.user_has_permission(user, "add"):
            del self.fields["create_positions"]


class RosterImportPermissionMixin(PermissionCheckedMixin):
    permission_policy = permission_policy
    permission_required = "add"


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
        report = context.get("report")
        context.update(
            {
                "action_url": reverse("lms_roster_import:import"),
                "template_url": reverse("lms_roster_import:template"),
                "max_listed": MAX_LISTED,
                "listed_changes": report.changes[:MAX_LISTED] if report else [],
                "listed_errors": report.errors[:MAX_LISTED] if report else [],
            }
        )
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        # One byte more than allowed is enough for the importer to refuse the file.
        report = import_roster(
            upload.read(roster_setting("LMS_ROSTER_IMPORT_MAX_BYTES") + 1),
            upload.name,
            dry_run=form.cleaned_data["dry_run"],
            create_positions=form.cleaned_data.get("create_positions", False),
            user=self.request.user,
        )
        if report.written:
            messages.success(
                self.request,
                _(
                    "Roster imported: %(new)d new, %(changed)d changed, %(leaving)d leaving, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "new": report.created,
                    "changed": report.changed,
                    "leaving": report.leaving,
                    "unchanged": report.unchanged,
                },
            )
        elif not report.ok:
            messages.error(self.request, _("The file has problems: nothing was imported."))
        return self.render_to_response(self.get_context_data(form=form, report=report))


class RosterTemplateView(RosterImportPermissionMixin, View):
    def get(self, request):
        response = HttpResponse(template_workbook(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="roster-import-template.xlsx"'
        return response


class RosterImportMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_permission(request.user, "add")


def roster_import_menu_item():
    return RosterImportMenuItem(
        gettext_lazy("Import roster"),
        reverse_lazy("lms_roster_import:import"),
        name="roster-import",
        icon_name="group",
        order=260,
    )
