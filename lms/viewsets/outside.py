"""Officer-entered completions in the training menu: "Record a training held elsewhere" (one
person, or a spreadsheet with one attachment for all), "Correct this record" from a record's
inspect view, and the permission-checked download of a record's attachment. The rules are in
``lms.services.records.outside``; these views only show forms and report."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import HeaderButton

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from lms.conf import app_settings
from lms.models import PlanItem, StaffProfile, TrainingPlan
from lms.services.records import outside
from lms.services.records.outside_import import import_outside, template_workbook
from lms.services.scope import is_manager, visible_records
from quizzes.forms import SpreadsheetForm
from quizzes.viewsets.importing import xlsx_attachment

ATTACHMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,.xlsx"


def attachment_field():
    return forms.FileField(
        label=gettext_lazy("Attachment"),
        widget=forms.FileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
        help_text=gettext_lazy(
            "The evidence: the sign-in sheet, the notice or a photo (PDF, JPG, PNG or XLSX, at "
            "most 10 MB). Kept privately with the record."
        ),
    )


class OutsideRecordForm(forms.Form):
    employee_no = forms.CharField(label=gettext_lazy("Employee number"), max_length=32)
    plan_item = forms.ModelChoiceField(
        label=gettext_lazy("Plan item"),
        queryset=PlanItem.objects.none(),
        help_text=gettext_lazy("The item of a published plan the training counts for."),
    )
    completed_on = forms.DateField(label=gettext_lazy("Completed on"), widget=AdminDateInput)
    hours = forms.DecimalField(
        label=gettext_lazy("Credit hours"),
        min_value=0,
        max_value=outside.MAX_HOURS,
        max_digits=4,
        decimal_places=1,
    )
    method_detail = forms.ChoiceField(
        label=gettext_lazy("Held as"), choices=outside.HELD_AS_CHOICES
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=outside.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why it is recorded by hand, e.g. 人民银行组织的线下讲座."),
    )
    attachment = attachment_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = (
            PlanItem.objects.filter(plan__status=TrainingPlan.PUBLISHED)
            .select_related("plan")
            .order_by("-plan__year", "plan_id", "sort_order", "pk")
        )
        self.fields["plan_item"].label_from_instance = lambda item: f"{item.plan} · {item.title}"

    def clean_employee_no(self):
        number = self.cleaned_data["employee_no"].strip()
        staff = StaffProfile.objects.select_related("user", "org_unit").filter(employee_no=number)
        found = staff.first()
        if found is None:
            raise forms.ValidationError(
                _("No one on the roster has employee number %(no)s.") % {"no": number}
            )
        return found


class OfficerRequiredMixin:
    """Only those who may enter completions (officers, superusers) reach these views."""

    def dispatch(self, request, *args, **kwargs):
        if not outside.may_record_outside(request.user):
            raise PermissionDenied(_("Only the consumer-protection officer may do this."))
        return super().dispatch(request, *args, **kwargs)


class OutsideRecordView(OfficerRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "lms/admin/record_outside.html"
    form_class = OutsideRecordForm
    page_title = gettext_lazy("Record a training held elsewhere")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("lms_completionrecord:index"), "label": _("Completion records")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Import from a spreadsheet"),
                reverse("lms_outside_records:import"),
                icon_name="upload",
            )
        ]

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            record = outside.record_outside(
                self.request.user,
                data["employee_no"],
                data["plan_item"],
                data["completed_on"],
                data["hours"],
                data["method_detail"],
                data["reason"],
                data["attachment"],
            )
        except outside.OutsideRecordError as error:
            field = error.field if error.field in form.fields else None
            if error.field == "staff":
                field = "employee_no"
            form.add_error(field, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Recorded: %(person)s completed “%(item)s”.")
            % {"person": data["employee_no"].name, "item": data["plan_item"].title},
        )
        return redirect("lms_completionrecord:inspect", record.pk)


class OutsideImportForm(SpreadsheetForm):
    plan = forms.ModelChoiceField(
        label=gettext_lazy("Plan"),
        queryset=TrainingPlan.objects.filter(status=TrainingPlan.PUBLISHED).order_by("-year"),
        help_text=gettext_lazy("培训项目 in the file names an item of this plan (title or id)."),
    )
    attachment = attachment_field()
    field_order = ["plan", "file", "attachment", "dry_run"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dry_run"].initial = True
        self.fields["file"].help_text = _(
            ".xlsx or .csv with the columns 工号, 培训项目, 完成日期, 学时, 形式 and 原因."
        )
        self.fields["attachment"].help_text = _(
            "One file for the whole upload (the scanned sign-in sheet), kept with every record."
        )


class OutsideImportView(OfficerRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "lms/admin/record_outside_import.html"
    form_class = OutsideImportForm
    page_title = gettext_lazy("Import trainings held elsewhere")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("lms_completionrecord:index"), "label": _("Completion records")},
            {
                "url": reverse("lms_outside_records:record"),
                "label": _("Record a training held elsewhere"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Download template"),
                reverse("lms_outside_records:template"),
                icon_name="download",
            )
        ]

    def form_valid(self, form):
        data = form.cleaned_data
        upload = data["file"]
        report = import_outside(
            data["plan"],
            self.request.user,
            upload.read(app_settings.LMS_ROSTER_IMPORT_MAX_BYTES + 1),
            upload.name,
            outside.read_upload(data["attachment"]),
            dry_run=data["dry_run"],
        )
        if report.written:
            messages.success(
                self.request,
                ngettext(
                    "%(count)d completion recorded.",
                    "%(count)d completions recorded.",
                    len(report.recorded),
                )
                % {"count": len(report.recorded)},
            )
        elif not report.ok:
            messages.error(self.request, _("The file has problems: nothing was recorded."))
        return self.render_to_response(self.get_context_data(form=form, report=report))


class OutsideTemplateView(OfficerRequiredMixin, View):
    def get(self, request):
        return xlsx_attachment(template_workbook(), "outside-training-template.xlsx")


class CorrectionForm(forms.Form):
    completed_on = forms.DateField(label=gettext_lazy("Completed on"), widget=AdminDateInput)
    credit_hours = forms.DecimalField(
        label=gettext_lazy("Credit hours"),
        min_value=0,
        max_value=outside.MAX_HOURS,
        max_digits=4,
        decimal_places=1,
    )
    score = forms.DecimalField(
        label=gettext_lazy("Score (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=outside.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectRecordView(OfficerRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """A correction of a record: a new record superseding it, with a reason."""

    template_name = "lms/admin/record_correct.html"
    form_class = CorrectionForm
    page_title = gettext_lazy("Correct this record")
    header_icon = "edit"

    @cached_property
    def record(self):  # looked up after the permission check
        return get_object_or_404(
            visible_records(self.request.user).select_related("staff"), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.record)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("lms_completionrecord:index"), "label": _("Completion records")},
            {
                "url": reverse("lms_completionrecord:inspect", args=(self.record.pk,)),
                "label": str(self.record),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self):
        record = self.record
        return {
            "completed_on": timezone.localtime(record.completed_at).date(),
            "credit_hours": record.credit_hours,
            "score": record.score,
            "title": record.title,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            correction = outside.correct_record(
                self.record,
                officer=self.request.user,
                reason=data["reason"],
                completed_on=data["completed_on"],
                credit_hours=data["credit_hours"],
                score=data["score"],
                title=data["title"],
            )
        except outside.OutsideRecordError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The record was corrected; the old one is kept."))
        return redirect("lms_completionrecord:inspect", correction.pk)


class RecordAttachmentView(View):
    """A record's attachment, for officers and the managers whose scope the record is in."""

    def get(self, request, pk):
        if not is_manager(request.user):
            raise PermissionDenied
        record = get_object_or_404(visible_records(request.user), pk=pk)
        try:
            stored, attachment = outside.open_attachment(record)
        except outside.OutsideRecordError as error:
            raise Http404(str(error)) from error
        return FileResponse(stored, as_attachment=True, filename=attachment.get("name"))


class OfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return outside.may_record_outside(request.user)


class OutsideRecordViewSet(ViewSet):
    """The officer's entry of training held elsewhere, in the training menu."""

    name = "lms_outside_records"
    url_prefix = "training/records-elsewhere"
    icon = "doc-full"
    menu_icon = "doc-full"
    menu_label = gettext_lazy("Record a training held elsewhere")
    menu_name = "record-elsewhere"
    menu_item_class = OfficerMenuItem

    def get_urlpatterns(self):
        return [
            path("", OutsideRecordView.as_view(), name="record"),
            path("import/", OutsideImportView.as_view(), name="import"),
            path("template/", OutsideTemplateView.as_view(), name="template"),
        ]


def record_urlpatterns():
    """The routes the records ViewSet adds: correcting a record, its attachment."""
    return [
        path("correct/<dbid:pk>/", CorrectRecordView.as_view(), name="correct"),
        path("attachment/<dbid:pk>/", RecordAttachmentView.as_view(), name="attachment"),
    ]
