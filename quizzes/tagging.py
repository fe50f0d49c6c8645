"""The classification codes field of admin forms (questions here; course and lesson pages in
courses): a mixin with no form classes of its own, so page models can import it while models
load."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import ClassificationCode
from .services.classification import grouped_choices


class ClassificationCodesFormMixin:
    """For an admin form with a ``classification_codes`` field (questions, course and lesson
    pages): a checkbox per code, grouped by dimension in tree order, offering the codes in use
    and those the object already has (a deactivated code is not silently dropped on save)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("classification_codes")
        if field is None:
            return
        chosen = [code.pk for code in self.instance.classification_codes.all()]
        field.queryset = ClassificationCode.objects.filter(Q(is_active=True) | Q(pk__in=chosen))
        field.widget = forms.CheckboxSelectMultiple(attrs={"class": "lms-code-choices"})
        field.choices = grouped_choices(field.queryset)
        field.help_text = _(
            "The complaint codes (JR/T 0169-2018) this content trains for: channel, business "
            "category, complaint reason. A code covers its sub-codes when searching."
        )
