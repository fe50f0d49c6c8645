"""The forms of the exemption admin (``lms.viewsets.exemptions``): asking for or granting one,
deciding a request, lifting, and the bulk import."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from lms.models import Exemption, PlanItem, TrainingPlan
from lms.services.scope import visible_staff
from quizzes.forms import SpreadsheetForm

KIND_CHOICES = [
    (Exemption.EXEMPT, gettext_lazy("Exemption: the item does not count as required")),
    (Exemption.EXTENSION, gettext_lazy("Extension: a later due date for this person")),
]


def open_items():
    """The items of the plans that are running (published)."""
    return (
        PlanItem.objects.filter(plan__status=TrainingPlan.PUBLISHED)
        .select_related("plan")
        .order_by("-plan__year", "plan__title", "sort_order", "pk")
    )


class PlanItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.title} · {obj.title}"


class ExemptionForm(forms.Form):
    """A manager's request, or an officer's grant: for one person (by employee number, among
    the people the user may see) and one item of a running plan."""

    employee_no = forms.CharField(label=gettext_lazy("Employee number"), max_length=32)
    plan_item = PlanItemChoiceField(queryset=PlanItem.objects.none(), label=gettext_lazy("Item"))
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    due_date = forms.DateField(
        label=gettext_lazy("New due date"),
        required=False,
        help_text=gettext_lazy("Extensions only: after the person's current due date."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["plan_item"].queryset = open_items()

    def clean_employee_no(self):
        number = self.cleaned_data["employee_no"].strip()
        person = visible_staff(self.user).filter(employee_no=number).first()
        if person is None:
            raise forms.ValidationError(
                _("No one in your units has employee number %(no)s.") % {"no": number}
            )
        self.cleaned_data["staff"] = person
        return number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Exemption.EXTENSION and not cleaned.get("due_date"):
            self.add_error("due_date", _("Give the new due date."))
        return cleaned


class DecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[(APPROVE, gettext_lazy("Approve")), (REJECT, gettext_lazy("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=pgettext_lazy("exemption decision", "Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for lifting"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExemptionImportForm(SpreadsheetForm):
    plan = forms.ModelChoiceField(
        queryset=TrainingPlan.objects.filter(status=TrainingPlan.PUBLISHED).order_by("-year"),
        label=gettext_lazy("Plan"),
        help_text=gettext_lazy("The 培训项目 column names items of this plan (title or id)."),
    )
    field_order = ["plan", "file", "dry_run"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dry_run"].initial = True
