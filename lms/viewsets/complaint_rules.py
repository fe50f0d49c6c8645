"""Complaint rules (投诉培训规则) in the training menu: the officer keeps them — a complaint
reason and/or business category (with the codes below them) → targeted items, for the staff
named or the unit's front-line staff, due in N days, crediting completions of the last M days.
A rule that caused training cannot be deleted (switch it off instead); the rules are applied by
``lms.services.complaints.targeting`` when complaints arrive."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList

from lms.models import ComplaintRule, PlanItem, TrainingPlan
from lms.viewsets.base import TrainingViewSet
from quizzes.models import ClassificationCode


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class ComplaintRuleForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, dimension in (("reason", "C"), ("business", "B")):
            field = self.fields[name]
            self.fields[name] = CodeChoiceField(
                queryset=ClassificationCode.objects.active().of(dimension).order_by("code"),
                required=False,
                label=field.label,
                help_text=field.help_text,
            )
        self.fields["items"].queryset = (
            PlanItem.objects.filter(targeted=True)
            .exclude(plan__status=TrainingPlan.CLOSED)
            .select_related("plan")
            .order_by("-plan__year", "sort_order", "pk")
        )
        self.fields["items"].widget = forms.CheckboxSelectMultiple()
        self.fields["items"].widget.choices = self.fields["items"].choices
        self.fields["items"].help_text = _(
            "Targeted items of open plans (an item is targeted when “targeted training” is "
            "ticked on it)."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("reason") and not cleaned.get("business"):
            raise forms.ValidationError(
                _(
                    "Choose a complaint reason, a business category or both: a rule for every "
                    "complaint is not a targeted rule."
                )
            )
        if cleaned.get("due_days") == 0:
            self.add_error("due_days", _("Give the people at least one day."))
        return cleaned


class ComplaintRuleViewSet(TrainingViewSet):
    model = ComplaintRule
    name = "lms_complaint_rule"
    url_prefix = "training/complaint-rules"
    icon = "link"
    menu_label = gettext_lazy("Complaint rules")
    list_display = ["name", "reason", "business", "audience", "due_days", "is_active"]
    list_filter = ["is_active", "audience"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            MultiFieldPanel(
                [FieldPanel("reason"), FieldPanel("business")],
                heading=gettext_lazy("Which complaints"),
            ),
            FieldPanel("items"),
            MultiFieldPanel(
                [
                    FieldPanel("audience"),
                    FieldRowPanel([FieldPanel("due_days"), FieldPanel("lookback_days")]),
                ],
                heading=gettext_lazy("Who, and by when"),
            ),
            FieldPanel("is_active"),
        ],
        base_form_class=ComplaintRuleForm,
    )
