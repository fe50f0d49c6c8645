from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .conf import app_settings
from .models import ClassificationCode, QuizOverride
from .services import validate_choices
from .services.classification import code_errors, grouped_choices, normalize_code
from .tagging import ClassificationCodesFormMixin


class ClassificationCodeForm(WagtailAdminModelForm):
    """Adding a code of the bank's own under any code, or editing one: a code of the standard
    can only be deactivated; a code's key and place are fixed once it exists (the rules are
    ``quizzes.services.classification.code_errors``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        original = self.instance if self.instance.pk else None
        fixed = ()
        if original is not None:
            fixed = (
                ("code", "name", "parent", "sort_order")
                if original.standard
                else ("code", "parent")
            )
        for name in fixed:
            if name in self.fields:
                self.fields[name].disabled = True
        parent = self.fields.get("parent")
        if parent is not None:
            parent.required = original is None
            parent.choices = [("", "---------"), *grouped_choices(parent.queryset)]

    def clean_code(self):
        return normalize_code(self.cleaned_data.get("code"))

    def clean(self):
        cleaned = super().clean()
        code = self.instance
        original = ClassificationCode.objects.filter(pk=code.pk).first() if code.pk else None
        parent = cleaned.get("parent")
        if original is None and parent is not None:
            code.parent = parent
            code.dimension = parent.dimension
            code.code = cleaned.get("code") or ""
            code.standard = False
            for field, message in code_errors(code, None).items():
                if field in self.fields:
                    self.add_error(field, message)
                else:
                    self.add_error(None, message)
        elif original is not None:
            candidate = ClassificationCode(
                pk=original.pk,
                dimension=original.dimension,
                standard=original.standard,
                **{name: cleaned.get(name, getattr(original, name)) for name in self.fields},
            )
            for field, message in code_errors(candidate, original).items():
                self.add_error(field if field in self.fields else None, message)
        return cleaned


class QuestionForm(ClassificationCodesFormMixin, WagtailAdminModelForm):
    """Admin form of a question: the choices must fit the question type."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("choices")
        if formset is None or not formset.is_valid():
            return cleaned
        choices = [
            (form.cleaned_data.get("text", ""), form.cleaned_data.get("is_correct", False))
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for message in validate_choices(cleaned.get("type"), choices):
            self.add_error(None, message)
        return cleaned


class MarkAnswerForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=5, decimal_places=2)
    comment = forms.CharField(
        label=_("Comment for the learner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SpreadsheetForm(forms.Form):
    """An .xlsx or .csv file for an import, and whether only to check it (a dry run)."""

    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        help_text=_("Check the file and show what would change, without importing."),
    )


class ImportForm(SpreadsheetForm):
    """A question file for the admin import, and whether only to check it (a dry run)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: the limits follow the settings, the text the request's language.
        self.fields["file"].help_text = gettext(
            ".xlsx or .csv (UTF-8 or GB18030), at most %(size)d MB and %(rows)d questions."
        ) % {
            "size": app_settings.LMS_QUESTION_IMPORT_MAX_BYTES // (1024 * 1024),
            "rows": app_settings.LMS_QUESTION_IMPORT_MAX_ROWS,
        }


class QuizOverrideForm(WagtailAdminModelForm):
    """Granting an override in the admin: the learner by username (employee number), what is
    granted and why. Who grants it and when are taken from the request, never typed."""

    learner = forms.CharField(
        label=_("Learner (username / employee number)"), max_length=150, strip=True
    )

    class Meta:
        model = QuizOverride
        fields = [
            "quiz",
            "extra_attempts",
            "closes_at",
            "time_limit_minutes",
            "exempt",
            "reason",
        ]

    def clean_learner(self):
        username = self.cleaned_data["learner"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(
                gettext("Nobody has the username “%(name)s”.") % {"name": username}
            )
        self.instance.user = user
        return user


class RevokeOverrideForm(WagtailAdminModelForm):
    """Revoking a grant: only the reason is typed; the grant itself stays as it was."""

    class Meta:
        model = QuizOverride
        fields = ["revoke_reason"]

    def clean_revoke_reason(self):
        reason = self.cleaned_data["revoke_reason"].strip()
        if not reason:
            raise forms.ValidationError(gettext("Give the reason for revoking the override."))
        return reason
