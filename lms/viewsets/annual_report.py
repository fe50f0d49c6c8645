"""The annual training summary (年度消保培训总结) in the admin's Reports menu: choose the plan,
the unit (officers may leave it for every unit; a manager picks one of theirs) and the as-of
day, and download it as PDF or XLSX (``lms.services.annual``). The form is sent by GET: a
download changes nothing, and its address can be saved and sent again."""

from functools import partial

from django import forms
from django.http import HttpResponse
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import AdminDateInput

from lms.services.annual.pdf import render_pdf
from lms.services.annual.report import build_report, check_day, default_day, filename
from lms.services.annual.xlsx import render_xlsx
from lms.services.compliance.as_of import BadDate
from lms.services.dashboard.units import plans_to_choose
from lms.services.scope import ManagerRequiredMixin, sees_everything, visible_units
from lms.viewsets.base import ManagerMenuItem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"pdf": (render_pdf, "application/pdf"), "xlsx": (render_xlsx, XLSX)}


class AnnualReportForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Plan"))
    unit = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Unit"),
        help_text=gettext_lazy("With every unit below it."),
    )
    as_of = forms.DateField(
        required=False,
        label=gettext_lazy("Status as of"),
        widget=AdminDateInput,
        help_text=gettext_lazy("Blank: the plan year's last day, or today while the year runs."),
    )
    format = forms.ChoiceField(
        choices=[("pdf", "PDF"), ("xlsx", "XLSX")],
        label=pgettext_lazy("file format", "Format"),
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["plan"].queryset = plans_to_choose()
        self.fields["unit"].queryset = visible_units(user).order_by("path")
        if sees_everything(user):
            self.fields["unit"].empty_label = _("All units")
        else:
            self.fields["unit"].required = True

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if plan is not None:
            day = cleaned.get("as_of") or default_day(plan)
            try:
                check_day(plan, day)
            except BadDate as error:
                self.add_error("as_of", str(error))
            cleaned["as_of"] = day
        return cleaned


class AnnualReportView(ManagerRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "lms/admin/annual_report.html"
    form_class = AnnualReportForm
    page_title = gettext_lazy("Annual training summary")
    header_icon = "doc-full-inverse"

    def get_form_kwargs(self):
        kwargs = {"user": self.request.user, "initial": self.get_initial()}
        if "plan" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return self.download(form.cleaned_data)
        return self.render_to_response(self.get_context_data(form=form))

    def download(self, data):
        report = build_report(
            data["plan"], day=data["as_of"], unit=data["unit"], user=self.request.user
        )
        render, content_type = FORMATS[data["format"]]
        response = HttpResponse(render(report), content_type=content_type)
        name = filename(report, data["format"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class AnnualReportViewSet(ViewSet):
    """/admin/training/annual-report/ and its item in the Reports menu (officers and managers)."""

    name = "lms_annual_report"
    url_prefix = "training/annual-report"

    def get_urlpatterns(self):
        return [path("", never_cache(AnnualReportView.as_view()), name="index")]

    def register_menu_item(self):
        hooks.register(
            "register_reports_menu_item",
            partial(
                ManagerMenuItem,
                gettext_lazy("Annual training summary"),
                reverse_lazy(self.get_url_name("index")),
                name="training-annual-report",
                icon_name="doc-full-inverse",
                order=1330,
            ),
        )
