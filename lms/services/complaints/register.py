"""The complaint register: complaints saved by their number (投诉编号), whoever sends them — the
spreadsheet import (``register_import``), the complaint system's API (``lms.api.complaints``)
or an officer in the admin.

``save_complaints(rows, source)`` creates a complaint for a number not seen before and updates
the one with that number otherwise: every field becomes the row's and the staff set is replaced.
A row identical to what is stored changes nothing (``unchanged``). The summary is masked
(``masking``) before it is compared or saved, so no customer ID, phone or card number is ever
stored; ``masked`` counts the numbers masked in the rows given. ``source`` is kept from the
complaint's first registration.

What the complaints cause (targeted training) is not decided here: ``save_complaints`` returns
the complaints created or changed (``SaveResult.changed``) for the caller to pass on, inside the
same transaction.

The rows are ``ComplaintData``, their codes, unit and staff already found: ``CodeBook`` (in
``codes``), ``UnitBook`` and ``staff_by_number`` read them in a few queries for a whole file,
and ``check`` holds the rules every source shares."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import Complaint, OrgUnit, StaffProfile
from lms.services.complaints.masking import mask_personal_data
from lms.services.complaints.targeting import apply_rules

MAX_NUMBER = 64  # Complaint.number
MAX_SUMMARY = 2000
CHUNK = 2000  # numbers per IN (…) query
BATCH = 1000
FIELDS = [
    "received_on",
    "channel",
    "business",
    "reason",
    "org_unit",
    "summary",
    "masked",
    "closed_on",
    "at_fault",
]
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class ComplaintData:
    """One complaint as its source gives it, with its codes, unit and staff found."""

    number: str
    received_on: date
    channel: object  # ClassificationCode of dimension A
    business: object  # … B
    reason: object  # … C
    org_unit: OrgUnit
    staff: list = field(default_factory=list)  # StaffProfile
    summary: str = ""  # as given: masked when planned
    closed_on: date | None = None
    at_fault: bool | None = None
    row: int | None = None  # the spreadsheet's row, for messages


@dataclass
class Planned:
    """What saving one row does: ``complaint`` is the stored one (None: new), ``summary`` the
    masked summary and ``masked`` how many numbers were masked in it."""

    data: ComplaintData
    complaint: Complaint | None
    summary: str
    masked: int
    action: str


@dataclass
class SaveResult:
    complaints: list = field(default_factory=list)  # every row's complaint, in row order
    changed: list = field(default_factory=list)  # those created or updated
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    masked: int = 0  # numbers masked in the rows' summaries
    training: object = None  # what the complaint rules did (``targeting.Outcome``)


def check(data, today=None):
    """The rules of a complaint whatever its source: translated messages (empty: fine)."""
    today = today or timezone.localdate()
    errors = []
    if not data.number:
        errors.append(_("The complaint number (投诉编号) is missing."))
    elif len(data.number) > MAX_NUMBER:
        errors.append(
            _("The complaint number is longer than %(max)d characters.") % {"max": MAX_NUMBER}
        )
    if data.received_on and data.received_on > today:
        errors.append(_("The day received (受理日期) is after today."))
    if data.closed_on and data.received_on and data.closed_on < data.received_on:
        errors.append(_("The day closed (办结日期) is before the day received (受理日期)."))
    if len(data.summary) > MAX_SUMMARY:
        errors.append(_("The summary is longer than %(max)d characters.") % {"max": MAX_SUMMARY})
    return errors


class UnitBook:
    """Units by code or exact name, read in one query: those ``references`` may name, or all
    (a bank has hundreds)."""

    def __init__(self, references=None):
        self.by_code = {}
        self.by_name = defaultdict(list)
        units = OrgUnit.objects.only("pk", "code", "name", "path")
        if references is not None:
            references = set(references)
            units = units.filter(Q(code__in=references) | Q(name__in=references))
        for unit in units:
            self.by_code[unit.code] = unit
            self.by_name[unit.name].append(unit)

    def resolve(self, reference):
        """``(unit, None)`` or ``(None, message)``."""
        unit = self.by_code.get(reference)
        if unit is not None:
            return unit, None
        named = self.by_name.get(reference, [])
        if len(named) == 1:
            return named[0], None
        if named:
            return None, _(
                "%(count)d units are named “%(name)s”: give the unit's code instead."
            ) % {"count": len(named), "name": reference}
        return None, _("Unknown unit “%(unit)s”: no unit has this code or name.") % {
            "unit": reference
        }


def staff_by_number(numbers):
    """``{employee number: StaffProfile}`` of those of ``numbers`` on the roster."""
    numbers = sorted(set(numbers))
    found = {}
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        for person in StaffProfile.objects.filter(employee_no__in=chunk).only(
            "pk", "employee_no", "name", "org_unit_id"
        ):
            found[person.employee_no] = person
    return found


def _stored(numbers):
    """The stored complaints of ``numbers`` by number, and their staff ids by complaint id."""
    complaints, staff = {}, defaultdict(set)
    numbers = list(numbers)
    through = Complaint.staff.through
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        found = {c.number: c for c in Complaint.objects.filter(number__in=chunk)}
        complaints.update(found)
        for complaint_id, staff_id in through.objects.filter(
            complaint__in=[c.pk for c in found.values()]
        ).values_list("complaint_id", "staffprofile_id"):
            staff[complaint_id].add(staff_id)
    return complaints, staff


def _same(complaint, data, summary, staff_ids):
    return (
        complaint.received_on == data.received_on
        and complaint.channel_id == data.channel.pk
        and complaint.business_id == data.business.pk
        and complaint.reason_id == data.reason.pk
        and complaint.org_unit_id == data.org_unit.pk
        and complaint.summary == summary
        and complaint.closed_on == data.closed_on
        and complaint.at_fault == data.at_fault
        and staff_ids == {person.pk for person in data.staff}
    )


def plan_complaints(rows):
    """What saving ``rows`` (``ComplaintData``, numbers distinct) would do: a ``Planned`` a row,
    in order. Reads the stored complaints in a few queries, writes nothing."""
    stored, staff = _stored(row.number for row in rows)
    planned = []
    for data in rows:
        summary, masked = mask_personal_data(data.summary)
        complaint = stored.get(data.number)
        if complaint is None:
            action = CREATED
        elif _same(complaint, data, summary, staff[complaint.pk]):
            action = UNCHANGED
        else:
            action = UPDATED
        planned.append(Planned(data, complaint, summary, masked, action))
    return planned


def _fill(complaint, entry):
    data = entry.data
    complaint.received_on = data.received_on
    complaint.channel = data.channel
    complaint.business = data.business
    complaint.reason = data.reason
    complaint.org_unit = data.org_unit
    complaint.closed_on = data.closed_on
    complaint.at_fault = data.at_fault
    if complaint.pk is None or complaint.summary != entry.summary:
        complaint.summary, complaint.masked = entry.summary, entry.masked
    return complaint


def save_planned(planned, source):
    """Carry out ``planned`` (``plan_complaints``), in the caller's transaction, then apply the
    complaint rules to the complaints created or changed (``targeting.apply_rules``). Returns a
    ``SaveResult``."""
    result = SaveResult(masked=sum(entry.masked for entry in planned))
    new = [
        _fill(Complaint(number=entry.data.number, source=source), entry)
        for entry in planned
        if entry.action == CREATED
    ]
    Complaint.objects.bulk_create(new, batch_size=BATCH)
    now = timezone.now()
    updated = []
    for entry in planned:
        if entry.action == UPDATED:
            entry.complaint.updated_at = now
            updated.append(_fill(entry.complaint, entry))
    Complaint.objects.bulk_update(updated, [*FIELDS, "updated_at"], batch_size=BATCH)
    _replace_staff(new, updated, planned)

    created = iter(new)
    for entry in planned:
        complaint = next(created) if entry.action == CREATED else entry.complaint
        result.complaints.append(complaint)
        if entry.action != UNCHANGED:
            result.changed.append(complaint)
    result.created, result.updated = len(new), len(updated)
    result.unchanged = len(planned) - len(new) - len(updated)
    # The rules look at what is new or changed: targeted training, linked to the complaints.
    result.training = apply_rules(result.changed)
    return result


def _replace_staff(new, updated, planned):
    """The staff sets of the complaints written: the old links of the updated ones go, the
    rows' are added (no ``m2m_changed`` signal: nothing listens to it)."""
    through = Complaint.staff.through
    updated_ids = [complaint.pk for complaint in updated]
    for start in range(0, len(updated_ids), CHUNK):
        through.objects.filter(complaint_id__in=updated_ids[start : start + CHUNK]).delete()
    staff = {entry.data.number: entry.data.staff for entry in planned if entry.action != UNCHANGED}
    links = [
        through(complaint_id=complaint.pk, staffprofile_id=person.pk)
        for complaint in (*new, *updated)
        for person in {person.pk: person for person in staff[complaint.number]}.values()
    ]
    through.objects.bulk_create(links, batch_size=BATCH)


def save_complaints(rows, source):
    """Create or update the complaints of ``rows`` (``ComplaintData``, numbers distinct) by
    number, in one transaction; ``source`` is one of ``Complaint.SOURCE_CHOICES`` (kept from a
    complaint's first registration). Returns a ``SaveResult``: its ``changed`` complaints are
    those created or updated, for what they cause."""
    with transaction.atomic():
        return save_planned(plan_complaints(rows), source)
