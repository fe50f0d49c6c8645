"""首次登录激活: someone on the roster without a password types their employee number and the
code from the slip their training officer gave them, chooses a password (the site's password
rules apply) and is signed in. The rules are in ``lms.services.identity.activation``."""

from django import forms
from django.contrib.auth import login, password_validation
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from lms.services.identity import activation

#: The backend recorded on the session (the account was matched by the activation, not by a
#: password check): Django's own, which every site has.
BACKEND = "django.contrib.auth.backends.ModelBackend"


class ActivationForm(forms.Form):
    employee_no = forms.CharField(
        label=_("Employee number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        help_text=_("The 8 characters on the slip from your training officer."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        if self.errors:
            return cleaned
        try:
            self.user = activation.activate(
                cleaned["employee_no"], cleaned["code"], cleaned["new_password1"]
            )
        except activation.ActivationRefused as refusal:
            raise ValidationError(refusal.message, code=refusal.reason) from refusal
        except ValidationError as error:  # the password rules
            self.add_error("new_password1", error)
        return cleaned


class ActivationView(FormView):
    template_name = "lms/accounts/activate.html"
    form_class = ActivationForm

    def get_initial(self):
        return {"employee_no": self.request.GET.get("employee_no", "")[:32]}

    def form_valid(self, form):
        login(self.request, form.user, backend=BACKEND)
        return redirect("lms:learn")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response
