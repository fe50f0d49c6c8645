"""Filters of the training admin: a unit with everything below it, the staff and record
listings, and the training reports (whose unit filter offers only the units the user may see: a
unit outside the scope is not a valid choice, and the rows are scoped anyway)."""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from lms.models import (
    Assignment,
    CompletionRecord,
    OrgUnit,
    PlanItem,
    Position,
    StaffProfile,
    TrainingPlan,
)
from lms.services.compliance import report_as_of
from lms.services.compliance.as_of import BadDate, parse_as_of
from lms.services.reports import STATUS_CHOICES, status_conditions
from lms.services.scope import visible_units
from lms.viewsets.forms import OrgUnitChoiceField

ACTIVE = "active"
LEAVERS = "leavers"


class UnitFilter(django_filters.ModelChoiceFilter):
    """A unit and everything below it."""

    field_class = OrgUnitChoiceField

    def __init__(self, *args, prefix="org_unit__", **kwargs):
        self.unit_prefix = prefix
        kwargs.setdefault("queryset", OrgUnit.objects.order_by("path"))
        kwargs.setdefault("label", _("Unit (and below)"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(value.subtree_q(prefix=self.unit_prefix))


class StaffFilterSet(WagtailFilterSet):
    unit = UnitFilter()

    class Meta:
        model = StaffProfile
        fields = ["position", "is_active"]


def _recorders(request):
    """The people who recorded or corrected a record by hand."""
    recorded = CompletionRecord.objects.filter(recorded_by__isnull=False).values("recorded_by")
    return get_user_model().objects.filter(pk__in=recorded).order_by("username")


class CompletionRecordFilterSet(WagtailFilterSet):
    unit = UnitFilter(prefix="credited_unit__", label=_("Credited unit (and below)"))
    recorded_by = django_filters.ModelChoiceFilter(queryset=_recorders, label=_("Recorded by"))

    class Meta:
        model = CompletionRecord
        fields = ["kind", "method", "recorded_by"]


def _visible_units(request):
    return visible_units(request.user).order_by("path")


def _plan_years():
    years = TrainingPlan.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(year, str(year)) for year in years]


class ScopedUnitFilter(UnitFilter):
    def __init__(self, *args, **kwargs):
        kwargs["queryset"] = _visible_units
        super().__init__(*args, **kwargs)


class AsOfField(forms.DateField):
    """A day (``YYYY-MM-DD``), today or before: the rule of the team pages' ``as_of``."""

    widget = AdminDateInput

    def to_python(self, value):
        try:
            return parse_as_of(value)
        except BadDate as error:
            raise ValidationError(str(error), code="invalid") from None


class AsOfFilter(django_filters.Filter):
    """A report as of a past day. It filters nothing itself: the report view reads the day
    (``AsOfReportMixin.as_of``) and builds its rows for it; the other filters read it from
    the form (``_as_of``)."""

    field_class = AsOfField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("As of"))
        kwargs.setdefault(
            "help_text", _("A past day: the report as it stood at the end of that day.")
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs


def _as_of(filterset):
    return filterset.form.cleaned_data.get("as_of")


def _in_range(queryset, field, value):
    """``DateFromToRangeFilter``'s rule on another field."""
    if value and value.start is not None:
        queryset = queryset.filter(**{f"{field}__gte": value.start})
    if value and value.stop is not None:
        queryset = queryset.filter(**{f"{field}__lte": value.stop})
    return queryset


class AssignmentReportFilterSet(WagtailFilterSet):
    as_of = AsOfFilter()
    plan = django_filters.ModelChoiceFilter(
        field_name="plan_item__plan",
        queryset=TrainingPlan.objects.order_by("-year", "title"),
        label=_("Plan"),
    )
    plan_item = django_filters.ModelChoiceFilter(
        queryset=PlanItem.objects.select_related("plan").order_by("-plan__year", "sort_order"),
        label=_("Plan item"),
    )
    unit = ScopedUnitFilter()
    position = django_filters.ModelChoiceFilter(
        field_name="staff__position",
        queryset=Position.objects.all(),
        label=_("Position"),
    )
    report_status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status")
    )
    due_date = django_filters.DateFromToRangeFilter(
        label=_("Due on"), widget=DateRangePickerWidget, method="filter_due_date"
    )
    completed_at = django_filters.DateFromToRangeFilter(
        label=_("Completed on"), widget=DateRangePickerWidget, method="filter_completed_at"
    )
    staff_state = django_filters.ChoiceFilter(
        choices=[(ACTIVE, _("Active staff")), (LEAVERS, _("Leavers"))],
        method="filter_staff_state",
        label=_("Staff"),
    )

    class Meta:
        model = Assignment
        fields = []

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        if _as_of(self):
            rows = report_as_of.status_filter(value)
            return queryset.none() if rows is None else queryset.filter(rows)
        return queryset.filter(status_conditions(timezone.localdate())[value])

    def filter_due_date(self, queryset, name, value):
        # As of a day: the due date in force then (an extension's).
        return _in_range(queryset, "due_on" if _as_of(self) else "due_date", value)

    def filter_completed_at(self, queryset, name, value):
        # As of a day: the completion credited that day.
        credited = f"{report_as_of.CREDIT}__record__completed_at"
        return _in_range(queryset, credited if _as_of(self) else "completed_at", value)

    def filter_staff_state(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(staff__is_active=(value == ACTIVE))


class YearFilter(django_filters.ChoiceFilter):
    """Records completed in the plan year (calendar year in the site's time zone)."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        year = int(value)
        tz = timezone.get_current_timezone()
        start = datetime.datetime(year, 1, 1, tzinfo=tz)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
        return queryset.filter(completed_at__gte=start, completed_at__lt=end)


class RecordReportFilterSet(WagtailFilterSet):
    as_of = AsOfFilter(
        help_text=_("A past day: the records recorded by the end of that day, as they stood.")
    )
    year = YearFilter(choices=_plan_years, label=_("Plan year"))
    completed_at = django_filters.DateFromToRangeFilter(
        label=_("Completed on"), widget=DateRangePickerWidget
    )
    unit = ScopedUnitFilter(prefix="credited_unit__", label=_("Credited unit (and below)"))
    superseded = django_filters.BooleanFilter(
        method="filter_superseded", label=_("Superseded by a correction")
    )

    class Meta:
        model = CompletionRecord
        fields = ["kind", "method"]

    def filter_superseded(self, queryset, name, value):
        if value is None:
            return queryset
        later = report_as_of.superseded(_as_of(self))
        return queryset.filter(later if value else ~later)
