"""One complaint pushed by the bank's complaint system (``POST /api/v1/complaints``, in
``lms.api.complaints``): the JSON object checked field by field, its codes, unit and staff found
as the import finds them, and saved by number (``register.save_complaints``).

The object's keys: ``number``, ``received_on`` and ``closed_on`` (``YYYY-MM-DD``; ``closed_on``
null or absent: open), ``channel``, ``business`` and ``reason`` (a code, a name, both, or a path
of names: ``codes``), ``unit`` (a unit's code or exact name), ``staff`` (a list of employee
numbers, may be empty or absent), ``summary`` (masked before it is saved) and ``at_fault``
(true, false or null). Any other key, a wrong type or an unknown code is a ``PushError`` with a
translated message naming the field."""

from django.db import IntegrityError
from django.utils.translation import gettext as _

from lms.models import Complaint
from lms.services.complaints import register
from lms.services.complaints.codes import CodeBook, CodeError, normalized
from quizzes.importing.pipeline import nul_message
from quizzes.importing.sheets import parse_date
from quizzes.models import ClassificationCode
from quizzes.services.attempts import broken_character_message, storable

TEXT_FIELDS = ("number", "channel", "business", "reason", "unit", "summary")
DATE_FIELDS = ("received_on", "closed_on")
FIELDS = (*TEXT_FIELDS, *DATE_FIELDS, "staff", "at_fault")
REQUIRED = ("number", "received_on", "channel", "business", "reason", "unit")
DIMENSIONS = {
    "channel": ClassificationCode.CHANNEL,
    "business": ClassificationCode.BUSINESS,
    "reason": ClassificationCode.REASON,
}
MAX_STAFF = 100


class PushError(ValueError):
    """Input that cannot be registered; the message is translated."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _check_text(name, value):
    if not isinstance(value, str):
        raise PushError(_("“%(field)s” must be a text.") % {"field": name})
    if not storable(value):
        raise PushError(broken_character_message())
    if "\x00" in value:
        raise PushError(nul_message())
    return value.strip()


def _date(name, value):
    if value is None:
        return None
    text = _check_text(name, value)
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None and text:
        raise PushError(_("“%(field)s” must be a date like 2026-03-01.") % {"field": name})
    return day


def _staff(value):
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_STAFF:
        raise PushError(
            _("“staff” must be a list of at most %(max)d employee numbers.") % {"max": MAX_STAFF}
        )
    numbers = [normalized(_check_text("staff", number)) for number in value]
    return list(dict.fromkeys(number for number in numbers if number))


def read_payload(payload):
    """The ``ComplaintData`` of a decoded JSON object; PushError when it is not a valid
    complaint (the first problem found)."""
    if not isinstance(payload, dict):
        raise PushError(_("The body must be a JSON object."))
    unknown = sorted(str(key) for key in payload if key not in FIELDS)
    if unknown:
        raise PushError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
    missing = [name for name in REQUIRED if payload.get(name) in (None, "")]
    if missing:
        raise PushError(
            _("Required fields are missing: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    texts = {name: _check_text(name, payload.get(name) or "") for name in TEXT_FIELDS}
    dates = {name: _date(name, payload.get(name)) for name in DATE_FIELDS}
    at_fault = payload.get("at_fault")
    if at_fault is not None and not isinstance(at_fault, bool):
        raise PushError(_("“at_fault” must be true, false or null."))
    book = CodeBook()
    try:
        codes = {
            name: book.resolve(dimension, texts[name], name)
            for name, dimension in DIMENSIONS.items()
        }
    except CodeError as error:
        raise PushError(error.message) from error
    unit, problem = register.UnitBook([normalized(texts["unit"])]).resolve(
        normalized(texts["unit"])
    )
    if problem:
        raise PushError(problem)
    numbers = _staff(payload.get("staff"))
    people = register.staff_by_number(numbers)
    unknown = [number for number in numbers if number not in people]
    if unknown:
        raise PushError(
            _("No one on the roster has employee number %(no)s.") % {"no": ", ".join(unknown)}
        )
    data = register.ComplaintData(
        number=normalized(texts["number"]),
        received_on=dates["received_on"],
        channel=codes["channel"],
        business=codes["business"],
        reason=codes["reason"],
        org_unit=unit,
        staff=[people[number] for number in numbers],
        summary=texts["summary"],
        closed_on=dates["closed_on"],
        at_fault=at_fault,
    )
    errors = register.check(data)
    if errors:
        raise PushError(errors[0])
    return data


def register_pushed(payload):
    """Register or update the complaint of a decoded JSON object from the complaint system.
    Returns ``(complaint, created, masked, result)``, ``result`` being the ``SaveResult`` (its
    ``changed`` complaints are what the rules look at). PushError for bad input."""
    data = read_payload(payload)
    try:
        result = register.save_complaints([data], Complaint.API)
    except IntegrityError:
        # The same number registered by another request at this moment: now it is an update.
        result = register.save_complaints([data], Complaint.API)
    return result.complaints[0], bool(result.created), result.masked, result
