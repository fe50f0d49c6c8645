"""Exemptions and extensions (豁免 / 延期) in the training menu: the listing (filters: status,
kind, plan, unit) and inspection of the rows in the user's scope; managers request, officers
grant, approve, reject and lift, and import grants from a spreadsheet. Nobody edits or deletes a
row: the rules are in ``lms.services.compliance.exemptions``, these views only call them."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from lms.conf import app_settings
from lms.models import Exemption, TrainingPlan
from lms.services.compliance import exemptions
from lms.services.compliance.exemption_import import import_exemptions, template_workbook
from lms.services.scope import ScopedQuerysetMixin, visible_exemptions
from lms.viewsets.base import DateTimeColumn, RestrictedPermissionPolicy
from lms.viewsets.exemption_forms import (
    DecisionForm,
    ExemptionForm,
    ExemptionImportForm,
    LiftForm,
)
from lms.viewsets.filters import ScopedUnitFilter
from quizzes.viewsets.importing import xlsx_attachment

#: Rows are added by the services (through the views below), never changed or deleted.
exemption_policy = RestrictedPermissionPolicy(Exemption, ["add", "change", "delete"])
FORM_TEMPLATE = "lms/admin/exemption_form.html"


def new_label(user):
    """What "new" is for ``user``: a grant (officers decide at once) or a request (managers)."""
    return pgettext("exemption", "Grant") if exemptions.can_decide(user) else _("Request")


class ExemptionFilterSet(WagtailFilterSet):
    plan = django_filters.ModelChoiceFilter(
        field_name="plan_item__plan",
        queryset=TrainingPlan.objects.order_by("-year", "title"),
        label=gettext_lazy("Plan"),
    )
    unit = ScopedUnitFilter()

    class Meta:
        model = Exemption
        fields = ["status", "kind"]


class ExemptionIndexView(ScopedQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        lifts = Exemption.objects.filter(
            revokes=OuterRef("pk"), kind=Exemption.LIFT, status=Exemption.APPROVED
        )
        return (
            super()
            .get_base_queryset()
            .select_related("staff", "plan_item", "org_unit", "requested_by", "decided_by")
            .annotate(is_lifted=Exists(lifts))
        )

    @cached_property
    def columns(self):
        return [
            self._get_title_column("staff"),
            Column("plan_item", label=gettext_lazy("Item")),
            Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display"),
            Column("due_date", label=gettext_lazy("New due date")),
            Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
            Column("reason", label=gettext_lazy("Reason")),
            Column("requested_by", label=gettext_lazy("Requested by")),
            DateTimeColumn("requested_at", label=gettext_lazy("Requested at"), sort_key="pk"),
            Column("decided_by", label=gettext_lazy("Decided by")),
            Column("org_unit", label=gettext_lazy("Unit")),
        ]

    @cached_property
    def header_buttons(self):
        user = self.request.user
        buttons = []
        if exemptions.can_request(user):
            buttons.append(
                HeaderButton(new_label(user), url=reverse("lms_exemption:new"), icon_name="plus")
            )
        if exemptions.can_decide(user):
            buttons.append(
                HeaderButton(
                    _("Import from a spreadsheet"),
                    url=reverse("lms_exemption:import"),
                    icon_name="upload",
                )
            )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not exemptions.can_decide(self.request.user):
            return buttons
        if instance.status == Exemption.REQUESTED:
            buttons.append(
                Button(
                    _("Decide"),
                    url=reverse("lms_exemption:decide", args=(instance.pk,)),
                    icon_name="tasks",
                    priority=40,
                )
            )
        elif (
            instance.status == Exemption.APPROVED
            and instance.kind != Exemption.LIFT
            and not instance.is_lifted
        ):
            buttons.append(
                Button(
                    _("Lift"),
                    url=reverse("lms_exemption:lift", args=(instance.pk,)),
                    icon_name="undo",
                    priority=41,
                )
            )
        return buttons


class ExemptionInspectView(ScopedQuerysetMixin, generic.InspectView):
    pass


class ExemptionActionMixin(WagtailAdminTemplateMixin):
    """The views besides listing: ``allowed(user)`` decides who reaches them (403 otherwise)."""

    template_name = FORM_TEMPLATE
    header_icon = "warning"

    def allowed(self, user):
        return exemptions.can_decide(user)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("lms_exemption:index"), "label": _("Exemptions and extensions")},
            {"url": "", "label": self.get_page_title()},
        ]

    def back(self):
        return redirect("lms_exemption:index")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cancel_url=reverse("lms_exemption:index"), row=getattr(self, "row", None), **kwargs
        )


class ExemptionCreateView(ExemptionActionMixin, FormView):
    """A manager's request; for an officer, a grant (approved at once)."""

    form_class = ExemptionForm

    def allowed(self, user):
        return exemptions.can_request(user)

    def get_page_title(self):
        return new_label(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data, user = form.cleaned_data, self.request.user
        action = exemptions.grant if exemptions.can_decide(user) else exemptions.request
        try:
            action(
                user,
                data["staff"],
                data["plan_item"],
                data["kind"],
                data["reason"],
                data.get("due_date"),
            )
        except exemptions.ExemptionError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return self.back()


class RowMixin(ExemptionActionMixin):
    """A view of one row, looked up in the user's scope (outside it: 404)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        rows = visible_exemptions(request.user).select_related("staff", "plan_item", "requested_by")
        self.row = get_object_or_404(rows, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.row) if self.row else ""


class ExemptionDecideView(RowMixin, FormView):
    form_class = DecisionForm
    page_title = gettext_lazy("Decide")

    def form_valid(self, form):
        decide = (
            exemptions.approve
            if form.cleaned_data["decision"] == DecisionForm.APPROVE
            else exemptions.reject
        )
        try:
            decide(self.request.user, self.row, note=form.cleaned_data["note"])
        except exemptions.ExemptionError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Decided."))
        return self.back()


class ExemptionLiftView(RowMixin, FormView):
    form_class = LiftForm
    page_title = gettext_lazy("Lift")

    def form_valid(self, form):
        try:
            exemptions.lift(self.request.user, self.row, form.cleaned_data["reason"])
        except exemptions.ExemptionError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Lifted."))
        return self.back()


class ExemptionImportView(ExemptionActionMixin, FormView):
    form_class = ExemptionImportForm
    page_title = gettext_lazy("Import exemptions and extensions")
    header_icon = "upload"

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Download template"),
                reverse("lms_exemption:template"),
                icon_name="download",
            )
        ]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = import_exemptions(
            form.cleaned_data["plan"],
            self.request.user,
            upload.read(app_settings.LMS_ROSTER_IMPORT_MAX_BYTES + 1),
            upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.written:
            messages.success(self.request, _("%(count)d granted.") % {"count": len(report.granted)})
        elif not report.ok:
            messages.error(self.request, _("The sheet has problems: nothing was granted."))
        return self.render_to_response(
            self.get_context_data(form=form, report=report, is_import=True)
        )


class ExemptionTemplateView(View):
    def get(self, request):
        if not exemptions.can_decide(request.user):
            raise PermissionDenied
        return xlsx_attachment(template_workbook(), "exemptions-template.xlsx")


class ExemptionViewSet(ModelViewSet):
    """Listing and inspection, and the service's actions; no add, edit or delete view."""

    model = Exemption
    name = "lms_exemption"
    url_prefix = "training/exemptions"
    icon = "warning"
    menu_label = gettext_lazy("Exemptions and extensions")
    index_view_class = ExemptionIndexView
    inspect_view_class = ExemptionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = ExemptionFilterSet
    search_fields = ["staff__name", "staff__employee_no", "reason"]
    list_per_page = 50
    ordering = ["-pk"]
    read_only_views = ("index", "index_results", "inspect")

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name in self.read_only_views
        ] + [
            path("new/", ExemptionCreateView.as_view(), name="new"),
            path("decide/<dbid:pk>/", ExemptionDecideView.as_view(), name="decide"),
            path("lift/<dbid:pk>/", ExemptionLiftView.as_view(), name="lift"),
            path("import/", ExemptionImportView.as_view(), name="import"),
            path("import/template/", ExemptionTemplateView.as_view(), name="template"),
        ]

    def get_form_class(self, for_update=False):
        return forms.Form  # no add or edit view is routed

    def get_permissions_to_register(self):
        return (
            super()
            .get_permissions_to_register()
            .filter(codename__in=["add_exemption", "view_exemption", "decide_exemption"])
        )
