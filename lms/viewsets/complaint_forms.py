"""The forms and filters of the complaint admin (``lms.viewsets.complaints``): a complaint
entered or corrected by an officer — saved through the register's service, so that its summary
is masked like an imported one — the listing's filters, and the import form."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from lms.models import Complaint, OrgUnit
from lms.services.complaints import register
from lms.services.complaints.register_import import staff_numbers
from lms.viewsets.filters import ScopedUnitFilter
from lms.viewsets.forms import OrgUnitChoiceField
from quizzes.forms import SpreadsheetForm
from quizzes.models import ClassificationCode

OPEN, CLOSED = "open", "closed"


def _codes(dimension, current=None):
    """The codes in use of ``dimension`` (and the complaint's own, even if no longer in use)."""
    in_use = Q(is_active=True) | Q(pk=current) if current else Q(is_active=True)
    return ClassificationCode.objects.of(dimension).filter(in_use).order_by("code")


class ComplaintForm(WagtailAdminModelForm):
    """A complaint by hand; the staff by employee number. ``save`` goes through
    ``register.save_complaints`` (masking, the staff set) and returns the saved complaint."""

    staff_numbers = forms.CharField(
        label=gettext_lazy("Staff concerned (employee numbers)"),
        required=False,
        help_text=gettext_lazy("Separated by commas, 、 or spaces."),
    )
    org_unit = OrgUnitChoiceField(
        queryset=OrgUnit.objects.order_by("path"), label=gettext_lazy("Unit concerned")
    )

    class Meta:
        model = Complaint
        fields = [
            "number",
            "received_on",
            "channel",
            "business",
            "reason",
            "org_unit",
            "summary",
            "closed_on",
            "at_fault",
        ]
        widgets = {"received_on": AdminDateInput, "closed_on": AdminDateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        complaint = self.instance
        for name, dimension in (
            ("channel", ClassificationCode.CHANNEL),
            ("business", ClassificationCode.BUSINESS),
            ("reason", ClassificationCode.REASON),
        ):
            self.fields[name].queryset = _codes(dimension, getattr(complaint, f"{name}_id", None))
        if complaint.pk:
            self.fields["number"].disabled = True
            self.fields["staff_numbers"].initial = "、".join(
                complaint.staff.order_by("employee_no").values_list("employee_no", flat=True)
            )

    def clean_number(self):
        number = " ".join(self.cleaned_data["number"].split())
        if not self.instance.pk and Complaint.objects.filter(number=number).exists():
            raise forms.ValidationError(
                _("Complaint %(number)s is already registered: edit it instead.")
                % {"number": number}
            )
        return number

    def clean_staff_numbers(self):
        numbers = staff_numbers(self.cleaned_data["staff_numbers"])
        people = register.staff_by_number(numbers)
        unknown = [number for number in numbers if number not in people]
        if unknown:
            raise forms.ValidationError(
                _("No one on the roster has employee number %(no)s.") % {"no": ", ".join(unknown)}
            )
        self.cleaned_data["staff"] = [people[number] for number in numbers]
        return numbers

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.data_row = register.ComplaintData(
            number=cleaned["number"],
            received_on=cleaned["received_on"],
            channel=cleaned["channel"],
            business=cleaned["business"],
            reason=cleaned["reason"],
            org_unit=cleaned["org_unit"],
            staff=cleaned.get("staff", []),
            summary=cleaned.get("summary") or "",
            closed_on=cleaned.get("closed_on"),
            at_fault=cleaned.get("at_fault"),
        )
        for message in register.check(self.data_row):
            self.add_error(None, message)
        return cleaned

    def save(self, commit=True):
        result = register.save_complaints([self.data_row], Complaint.ADMIN)
        self.instance = result.complaints[0]
        self.changed_complaints = result.changed
        return self.instance


class CodeFilter(django_filters.ModelChoiceFilter):
    """A code of one dimension, with the codes below it (the bank's own sub-codes)."""

    def __init__(self, dimension, *args, **kwargs):
        kwargs["queryset"] = ClassificationCode.objects.of(dimension).order_by("code")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        prefix = f"{value.code}."
        below = ClassificationCode.objects.filter(
            Q(pk=value.pk) | Q(dimension=value.dimension, code__startswith=prefix)
        )
        return qs.filter(**{f"{self.field_name}__in": below})


class MonthField(forms.RegexField):
    """A month, ``2026-03`` (what ``<input type="month">`` sends)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": gettext_lazy("Give a month like 2026-03.")})
        super().__init__(r"^\d{4}-(0[1-9]|1[0-2])$", *args, **kwargs)


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        if not value:
            return qs
        year, month = (int(part) for part in value.split("-"))
        return qs.filter(**{f"{self.field_name}__year": year, f"{self.field_name}__month": month})


class ComplaintFilterSet(WagtailFilterSet):
    reason = CodeFilter(ClassificationCode.REASON, label=gettext_lazy("Complaint reason"))
    business = CodeFilter(ClassificationCode.BUSINESS, label=gettext_lazy("Business category"))
    channel = CodeFilter(ClassificationCode.CHANNEL, label=gettext_lazy("Channel"))
    unit = ScopedUnitFilter()
    month = MonthFilter(field_name="received_on", label=gettext_lazy("Received in (month)"))
    received_on = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Received on"), widget=DateRangePickerWidget
    )
    state = django_filters.ChoiceFilter(
        choices=[
            (OPEN, pgettext_lazy("complaint", "Open")),
            (CLOSED, pgettext_lazy("complaint", "Closed")),
        ],
        method="filter_state",
        label=gettext_lazy("Open or closed"),
    )

    class Meta:
        model = Complaint
        fields = ["at_fault"]

    def filter_state(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(closed_on__isnull=(value == OPEN))


class ComplaintImportForm(SpreadsheetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dry_run"].initial = True
        self.fields["file"].help_text = _(
            ".xlsx or .csv (UTF-8 or GB18030) with the columns 投诉编号, 受理日期, 受理渠道, "
            "业务类别, 投诉原因, 涉及机构, 涉及员工工号, 摘要, 办结日期 and 是否有责."
        )
