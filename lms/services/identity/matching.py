"""Matching a signed-in identity to a member of staff, by employee number."""

from django.utils.translation import gettext as _

from lms.models import StaffProfile


class SignInRefused(Exception):
    """The identity provider vouched for someone who may not sign in here; ``message`` says
    why, in words the person can act on."""

    def __init__(self, message, *, reason):
        super().__init__(message)
        self.message = message
        #: ``unknown`` (not in the roster), ``leaver`` (inactive) or ``blank`` (no number given).
        self.reason = reason


def normalise_employee_number(value):
    """The employee number as the roster stores it: text, trimmed, leading zeros kept."""
    if value is None:
        return ""
    return str(value).strip()


def user_for_employee_number(value):
    """The active user of the member of staff with employee number ``value``.

    Raises :class:`SignInRefused` when the number is blank, nobody in the roster has it, or the
    person has left (staff profile or account inactive). Never creates an account."""
    number = normalise_employee_number(value)
    if not number:
        raise SignInRefused(
            _("The sign-in service did not say who you are (no employee number)."), reason="blank"
        )
    staff = StaffProfile.objects.select_related("user").filter(employee_no=number).first()
    if staff is None:
        raise SignInRefused(
            _(
                "Employee number %(number)s is not in the staff roster. Ask your training "
                "officer to add you."
            )
            % {"number": number},
            reason="unknown",
        )
    if not staff.is_active or not staff.user.is_active:
        raise SignInRefused(
            _("This staff account is no longer active and cannot sign in."), reason="leaver"
        )
    return staff.user
