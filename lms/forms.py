from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(AuthenticationForm):
    """Login with the employee number (工号); the messages say what to do next."""

    username = forms.CharField(
        label=_("Employee number"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        "invalid_login": _(
            "The employee number or password is not correct. Check both and try again; after "
            "several failed attempts the account is locked for a while."
        ),
        "inactive": _("This account has been deactivated. Please contact your administrator."),
    }
