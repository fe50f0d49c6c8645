"""The complaint register (投诉登记) in the admin: the listing (filters: reason, business
category, channel, unit and below, month or days received, open or closed, at fault; search by
number) and inspection of the complaints in the user's scope — managers see their units' —
and, for officers, entering or correcting a complaint by hand and importing the register from a
spreadsheet. Nobody deletes a complaint: it is evidence of the training it caused. The rules are
in ``lms.services.complaints``; these views only call them."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from lms.conf import app_settings
from lms.models import Complaint
from lms.services.complaints.register_import import import_complaints, template_workbook
from lms.services.scope import ScopedQuerysetMixin
from lms.viewsets.base import RestrictedPermissionPolicy, flag_column
from lms.viewsets.complaint_forms import ComplaintFilterSet, ComplaintForm, ComplaintImportForm
from quizzes.viewsets.importing import xlsx_attachment

IMPORT_PERMISSION = "lms_core.import_complaints"

#: Complaints are evidence of the training they caused: never deleted through the admin.
complaint_policy = RestrictedPermissionPolicy(Complaint, ["delete"])


def may_import(user):
    return bool(user.is_authenticated and user.is_active and user.has_perm(IMPORT_PERMISSION))


def _related(queryset):
    return queryset.select_related("channel", "business", "reason", "org_unit")


class ComplaintIndexView(ScopedQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        return _related(super().get_base_queryset())

    @cached_property
    def columns(self):
        return [
            self._get_title_column("number"),
            Column("received_on", label=gettext_lazy("Received on"), sort_key="received_on"),
            Column("reason", label=gettext_lazy("Complaint reason")),
            Column("business", label=gettext_lazy("Business category")),
            Column("channel", label=gettext_lazy("Channel")),
            Column("org_unit", label=gettext_lazy("Unit")),
            Column("closed_on", label=gettext_lazy("Closed on"), sort_key="closed_on"),
            flag_column(Complaint, "at_fault", _("Yes"), _("No")),
        ]

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if may_import(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Import from a spreadsheet"),
                    url=reverse("lms_complaint:import"),
                    icon_name="upload",
                )
            )
        return buttons


class ComplaintInspectView(ScopedQuerysetMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return super().get_object(_related(Complaint.objects.all()))

    def get_field_display_value(self, field_name, field):
        if field_name == "staff":
            people = self.object.staff.order_by("employee_no")
            return "、".join(f"{person.name} ({person.employee_no})" for person in people) or "—"
        return super().get_field_display_value(field_name, field)


class ComplaintEditView(ScopedQuerysetMixin, generic.EditView):
    """Saved by ``ComplaintForm.save`` (the register's service); its ``changed_complaints`` are
    the complaints created or changed, as ``save_complaints`` returns them."""


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ComplaintImportView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "lms/admin/complaint_import.html"
    form_class = ComplaintImportForm
    page_title = gettext_lazy("Import the complaint register")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("lms_complaint:index"), "label": _("Complaints")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Download template"), reverse("lms_complaint:template"), icon_name="download"
            )
        ]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = import_complaints(
            upload.read(app_settings.LMS_COMPLAINTS_IMPORT_MAX_BYTES + 1),
            upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.written:
            count = report.created + report.updated
            messages.success(
                self.request,
                ngettext(
                    "%(count)d complaint registered or updated.",
                    "%(count)d complaints registered or updated.",
                    count,
                )
                % {"count": count},
            )
        elif not report.ok:
            messages.error(self.request, _("The file has problems: nothing was imported."))
        return self.render_to_response(self.get_context_data(form=form, report=report))


class ComplaintTemplateView(ImportPermissionMixin, View):
    def get(self, request):
        return xlsx_attachment(template_workbook(), "complaints-template.xlsx")


class ComplaintViewSet(ModelViewSet):
    """The register: listing, inspection, adding and editing (officers); no delete."""

    model = Complaint
    name = "lms_complaint"
    url_prefix = "complaints"
    icon = "warning"
    menu_label = gettext_lazy("Complaints")
    menu_order = 263  # after 团队进度 (262)
    add_to_admin_menu = True
    index_view_class = ComplaintIndexView
    inspect_view_class = ComplaintInspectView
    edit_view_class = ComplaintEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ComplaintForm.Meta.fields
    filterset_class = ComplaintFilterSet
    search_fields = ["number"]
    list_per_page = 50
    ordering = ["-received_on", "-pk"]
    inspect_view_fields = [
        "number",
        "received_on",
        "channel",
        "business",
        "reason",
        "org_unit",
        "staff",
        "summary",
        "masked",
        "closed_on",
        "at_fault",
        "source",
        "created_at",
        "updated_at",
    ]

    def get_form_class(self, for_update=False):
        return ComplaintForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(delete_url_name=None, **kwargs)

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "delete"] + [
            path("import/", ComplaintImportView.as_view(), name="import"),
            path("import/template/", ComplaintTemplateView.as_view(), name="template"),
        ]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().exclude(codename="delete_complaint")
