"""Admin forms of the training ViewSets: units placed in the tree, staff with their login, and
plan items with their rules checked."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.models import OrgUnit, PlanItem, StaffProfile, TrainingPlan
from lms.services import sync_staff


def unit_path_labels():
    """``{path: "兰州分行 / 城关支行 / 东岗网点"}`` for every unit, in one query."""
    names = dict(OrgUnit.objects.values_list("path", "name"))
    step = OrgUnit.steplen
    return {
        path: " / ".join(
            names[path[:end]] for end in range(step, len(path) + 1, step) if path[:end] in names
        )
        for path in names
    }


class UnitLabelMixin:
    """Choices labelled with the unit's full path: outlet names repeat across sub-branches."""

    def label_from_instance(self, obj):
        labels = getattr(self, "_path_labels", None)
        if labels is None:
            labels = self._path_labels = unit_path_labels()
        return labels.get(obj.path, obj.name)


class OrgUnitChoiceField(UnitLabelMixin, forms.ModelChoiceField):
    pass


class OrgUnitMultipleChoiceField(UnitLabelMixin, forms.ModelMultipleChoiceField):
    pass


class OrgUnitForm(WagtailAdminModelForm):
    """Places a new unit under the chosen parent (treebeard ``add_root`` / ``add_child``) and
    moves an existing one when its parent changes (treebeard ``move``)."""

    parent = OrgUnitChoiceField(
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        label=_("Parent unit"),
        empty_label=_("(none: a top-level unit)"),
        help_text=_("The unit this one belongs to, e.g. the sub-branch of an outlet."),
    )

    class Meta:
        model = OrgUnit
        fields = ["parent", "code", "name", "kind", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A unit cannot move under itself or anything below it.
            self.fields["parent"].queryset = OrgUnit.objects.exclude(
                path__startswith=self.instance.path
            ).order_by("path")
            self._old_parent = self.instance.get_parent(update=True)
            self.fields["parent"].initial = self._old_parent
        else:
            self._old_parent = None

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent and self.instance.pk and parent.path.startswith(self.instance.path):
            raise ValidationError(_("A unit cannot be placed under itself or a unit below it."))
        return parent

    def save(self, commit=True):
        unit = super().save(commit=False)
        parent = self.cleaned_data.get("parent")
        if unit._state.adding:
            if parent is None:
                unit = OrgUnit.add_root(instance=unit)
            else:
                # Fresh from the database: treebeard needs the parent's current numchild/path.
                unit = OrgUnit.objects.get(pk=parent.pk).add_child(instance=unit)
            return unit
        unit.save()
        old_parent_pk = self._old_parent.pk if self._old_parent else None
        # A new code re-sorts the unit among its siblings (node_order_by = code).
        if (parent.pk if parent else None) != old_parent_pk or "code" in self.changed_data:
            if parent is None:
                unit.move(OrgUnit.get_first_root_node(), "sorted-sibling")
            else:
                unit.move(OrgUnit.objects.get(pk=parent.pk), "sorted-child")
            unit.refresh_from_db()
        return unit


class StaffProfileForm(WagtailAdminModelForm):
    """A new member of staff gets a login named after the employee number (no usable password
    until one is set). Leavers are deactivated, never deleted: their login is switched off and
    their open assignments withdrawn by ``sync_staff``."""

    org_unit = OrgUnitChoiceField(queryset=OrgUnit.objects.order_by("path"), label=_("unit"))
    managed_units = OrgUnitMultipleChoiceField(
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        label=_("manages"),
        help_text=_(
            "Units whose progress this person may see and chase (with everything below them), "
            "e.g. an outlet head's outlet."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = StaffProfile
        fields = [
            "employee_no",
            "name",
            "org_unit",
            "position",
            "hire_date",
            "managed_units",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._was_active = self.instance.is_active if self.instance.pk else None
        if self.instance.pk:
            # It is the login name too; a new number means a new person.
            self.fields["employee_no"].disabled = True
            self.fields["employee_no"].help_text = _("The login name; it cannot change.")

    def clean_employee_no(self):
        employee_no = (self.cleaned_data.get("employee_no") or "").strip()
        if not employee_no:
            raise ValidationError(_("Enter the employee number."))
        if not self.instance.pk:
            user_model = get_user_model()
            taken = StaffProfile.objects.filter(
                **{f"user__{user_model.USERNAME_FIELD}": employee_no}
            ).exists()
            if taken:
                raise ValidationError(
                    _("The login %(login)s already belongs to a member of staff.")
                    % {"login": employee_no}
                )
        return employee_no

    def save(self, commit=True):
        staff = super().save(commit=False)
        user_model = get_user_model()
        if staff._state.adding:
            username_field = user_model.USERNAME_FIELD
            user = user_model.objects.filter(**{username_field: staff.employee_no}).first()
            if user is None:
                user = user_model(**{username_field: staff.employee_no}, first_name=staff.name)
                user.set_unusable_password()
                user.save()
            staff.user = user
        if self._was_active is not None and staff.is_active != self._was_active:
            staff.left_at = None if staff.is_active else timezone.now()
            user_model.objects.filter(pk=staff.user_id).update(is_active=staff.is_active)
        staff.save()
        self.save_m2m()
        # Assign what their audience now includes, move open work with a transfer, withdraw it
        # from a leaver.
        sync_staff(staff)
        return staff


class QuarterlyTargetsField(forms.CharField):
    """Up to four whole percentages, one per quarter, that never go down: "25, 50, 75, 100"."""

    default_error_messages = {
        "invalid": _("Enter whole numbers separated by commas, e.g. 25, 50, 75, 100."),
        "too_many": _("Enter at most four targets, one per quarter."),
        "range": _("Each target is a percentage from 0 to 100."),
        "decreasing": _("The targets cannot go down from one quarter to the next."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(number) for number in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value).strip().strip("[]")
        parts = [part for part in re.split(r"[\s,，、;；]+", text) if part]
        try:
            return [int(part.rstrip("%")) for part in parts]
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if len(value) > 4:
            raise ValidationError(self.error_messages["too_many"], code="too_many")
        if any(number < 0 or number > 100 for number in value):
            raise ValidationError(self.error_messages["range"], code="range")
        if any(later < earlier for earlier, later in zip(value, value[1:], strict=False)):
            raise ValidationError(self.error_messages["decreasing"], code="decreasing")


class PlanItemForm(WagtailAdminModelForm):
    """Checks that an item names exactly the content its kind needs, a due date not before it
    opens, an audience, sane quarterly targets, and a plan that is not closed."""

    org_units = OrgUnitMultipleChoiceField(
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        label=_("units (with everything below them)"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    quarterly_targets = QuarterlyTargetsField(
        label=_("quarterly targets (%)"),
        help_text=_(
            "Expected completion (percent) by the end of each quarter, e.g. 25, 50, 75, 100."
        ),
    )

    class Meta:
        model = PlanItem
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "plan" in self.fields:
            # Closed plans are not offered, except the item's own.
            self.fields["plan"].queryset = TrainingPlan.objects.filter(
                ~Q(status=TrainingPlan.CLOSED) | Q(pk=self.instance.plan_id or 0)
            )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        course, quiz = cleaned.get("course"), cleaned.get("quiz")
        if kind == PlanItem.COURSE:
            if not course:
                self.add_error("course", _("An online-course item needs a course."))
            if quiz:
                self.add_error("quiz", _("An online-course item has no quiz: leave this empty."))
        elif kind == PlanItem.QUIZ:
            if not quiz:
                self.add_error("quiz", _("A quiz item needs a quiz."))
            if course:
                self.add_error("course", _("A quiz item has no course: leave this empty."))
        elif kind in (PlanItem.ATTESTATION, PlanItem.OFFLINE):
            for name in ("course", "quiz"):
                if cleaned.get(name):
                    self.add_error(name, _("Only online-course and quiz items name this."))
        page = cleaned.get("page")
        if kind == PlanItem.ATTESTATION:
            if not page:
                self.add_error("page", _("An attestation item needs the page to read."))
            elif not page.live:
                self.add_error("page", _("This page is not published: nobody could read it."))
            if not (cleaned.get("statement") or "").strip():
                self.add_error("statement", _("Say what the learner confirms."))
        elif page:
            self.add_error("page", _("Only attestation items name a page to read."))
        open_date, due_date = cleaned.get("open_date"), cleaned.get("due_date")
        if open_date and due_date and due_date < open_date:
            self.add_error("due_date", _("The due date cannot be before the opening date."))
        audience = (
            cleaned.get("everyone")
            or cleaned.get("positions")
            or cleaned.get("org_units")
            or cleaned.get("new_hires_only")
        )
        if cleaned.get("targeted") and audience:
            self.add_error(
                "targeted",
                _("A targeted item is assigned only by complaint rules: leave its audience empty."),
            )
        elif not audience and not cleaned.get("targeted"):
            self.add_error(
                None,
                _(
                    "Choose who must do this item: everyone, positions, units or new hires "
                    "(or make it targeted training, assigned by complaint rules)."
                ),
            )
        plan = cleaned.get("plan")
        if plan and plan.status == TrainingPlan.CLOSED:
            self.add_error("plan", _("This plan is closed: its items can no longer change."))
        return cleaned
