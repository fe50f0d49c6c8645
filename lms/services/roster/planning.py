"""Planning a roster import: resolving units, positions, existing people and accounts, and
what each row would change. Nothing is written here."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.models import OrgUnit, Position, StaffProfile
from lms.services.plans import _chunks
from lms.services.roster.reading import (
    HIRE_DATE,
    POSITION,
    STATUS,
    RosterRow,
)
from lms.services.roster.report import StaffChange


@dataclass
class _Planned:
    """A valid row with what it resolved to. ``sync``: the row changes who must learn what (a
    new person, a transfer, another position or hire date, leaving or coming back)."""

    change: StaffChange
    row: RosterRow
    unit: OrgUnit
    staff: StaffProfile | None = None
    account: object = None  # an existing user to link a new person to
    sync: bool = False


def _unit_text(unit):
    return f"{unit.name} ({unit.code})"


def _date_text(value):
    return value.isoformat() if value else ""


class _Resolver:
    """Units and positions by what a file may call them (all loaded once: a bank has hundreds of
    units and a few dozen positions), and the labels of a diff (translated once, not per row)."""

    def __init__(self):
        self.labels = {
            name: str(StaffProfile._meta.get_field(name).verbose_name)
            for name in ("name", "org_unit", "position", "hire_date")
        }
        self.labels["is_active"] = _("status")
        self.status = {True: pgettext("staff status", "active"), False: _("inactive")}
        self.units_by_pk = {}
        self.units_by_code = {}
        self.units_by_name = defaultdict(list)
        for unit in OrgUnit.objects.only("pk", "code", "name", "path", "is_active"):
            self.units_by_pk[unit.pk] = unit
            self.units_by_code[unit.code] = unit
            self.units_by_name[unit.name].append(unit)
        self.positions = dict(Position.objects.values_list("name", "pk"))
        self.position_names = {pk: name for name, pk in self.positions.items()}

    def unit(self, reference, errors):
        unit = self.units_by_code.get(reference)
        if unit is not None:
            return unit
        named = self.units_by_name.get(reference, [])
        if len(named) == 1:
            return named[0]
        if named:
            errors.append(
                _("%(count)d units are named “%(name)s”: give the unit's code instead.")
                % {"count": len(named), "name": reference}
            )
        else:
            errors.append(
                _("Unknown unit “%(unit)s”: no unit has this code or name.") % {"unit": reference}
            )
        return None


def _existing_staff(numbers):
    staff = {}
    for chunk in _chunks(numbers):
        for person in StaffProfile.objects.filter(employee_no__in=chunk).select_related("user"):
            staff[person.employee_no] = person
    return staff


def _existing_accounts(usernames):
    """Accounts named like new employee numbers, with the employee number of the profile they
    already have ("" when none)."""
    user_model = get_user_model()
    field = user_model.USERNAME_FIELD
    accounts = {}
    for chunk in _chunks(usernames):
        for account in user_model.objects.filter(**{f"{field}__in": chunk}):
            accounts[account.get_username()] = account
    owners = {}
    for chunk in _chunks([account.pk for account in accounts.values()]):
        owners.update(
            StaffProfile.objects.filter(user_id__in=chunk).values_list("user_id", "employee_no")
        )
    return {name: (account, owners.get(account.pk, "")) for name, account in accounts.items()}


def _lost_zeros(numbers):
    """New all-digit employee numbers that are existing ones without their leading zeros (what
    Excel does to a CSV it opens and saves), mapped to the existing number. One query."""
    stripped = {number.lstrip("0"): number for number in numbers if number.isdigit()}
    if not stripped:
        return {}
    found = {}
    existing = StaffProfile.objects.filter(employee_no__startswith="0")
    for number in existing.values_list("employee_no", flat=True).iterator(chunk_size=5000):
        new = stripped.get(number.lstrip("0"))
        if new is not None and new != number:
            found[new] = number
    return found


def _duplicates(rows, report):
    numbers = defaultdict(list)
    for row in rows:
        numbers[row.employee_no].append(row.row)
    for employee_no, row_numbers in numbers.items():
        if len(row_numbers) < 2:
            continue
        for number in row_numbers:
            others = ", ".join(str(other) for other in row_numbers if other != number)
            report.errors.append(
                (
                    number,
                    _("Employee number %(number)s is also on row %(rows)s of the file.")
                    % {"number": employee_no, "rows": others},
                )
            )
    return {number for number, rows_of in numbers.items() if len(rows_of) > 1}


def _new_person(row, unit, labels):
    changes = [(labels["name"], "", row.name), (labels["org_unit"], "", _unit_text(unit))]
    if row.position:
        changes.append((labels["position"], "", row.position))
    if row.hire_date:
        changes.append((labels["hire_date"], "", _date_text(row.hire_date)))
    return StaffChange(row.row, row.employee_no, row.name, StaffChange.NEW, changes)


def _existing_person(row, unit, staff, resolver):
    change = StaffChange(row.row, row.employee_no, row.name, StaffChange.UNCHANGED)

    def changed(name, old, new):
        change.fields.append(name)
        change.changes.append((resolver.labels[name], old, new))

    if staff.name != row.name:
        changed("name", staff.name, row.name)
    if staff.org_unit_id != unit.pk:
        old = resolver.units_by_pk.get(staff.org_unit_id)
        changed("org_unit", _unit_text(old) if old else "?", _unit_text(unit))
        change.transfer = True
    old_position = resolver.position_names.get(staff.position_id, "")
    if POSITION in row.given and old_position != row.position:
        changed("position", old_position, row.position)
    if HIRE_DATE in row.given and staff.hire_date != row.hire_date:
        changed("hire_date", _date_text(staff.hire_date), _date_text(row.hire_date))
    if STATUS in row.given and staff.is_active != row.active:
        changed("is_active", resolver.status[staff.is_active], resolver.status[row.active])
        change.reactivated = row.active
        change.action = StaffChange.CHANGED if row.active else StaffChange.LEAVING
    elif change.changes:
        change.action = StaffChange.CHANGED
    return change


def plan(rows, report, create_positions):
    """Resolve and compare every row; errors go to ``report``. Returns the planned rows."""
    resolver = _Resolver()
    duplicated = _duplicates(rows, report)
    numbers = [row.employee_no for row in rows if row.employee_no not in duplicated]
    staff = _existing_staff(numbers)
    new_numbers = [number for number in numbers if number not in staff]
    accounts = _existing_accounts(new_numbers)
    lost_zeros = _lost_zeros(new_numbers)
    new_positions = set()
    planned = []
    for row in rows:
        errors = []
        unit = resolver.unit(row.unit, errors)
        person = staff.get(row.employee_no)
        if unit is not None and row.active and not unit.is_active:
            errors.append(
                _("Unit “%(unit)s” is inactive: nobody active can belong to it.")
                % {"unit": _unit_text(unit)}
            )
        if row.position and row.position not in resolver.positions:
            if create_positions:
                new_positions.add(row.position)
            else:
                errors.append(
                    _(
                        "Unknown position “%(position)s”: add it first, or import with "
                        "“create missing positions”."
                    )
                    % {"position": row.position}
                )
        if row.employee_no in lost_zeros:
            errors.append(
                _(
                    "Employee number %(number)s looks like %(existing)s without its leading "
                    "zeros (did a spreadsheet program drop them?): write %(existing)s."
                )
                % {"number": row.employee_no, "existing": lost_zeros[row.employee_no]}
            )
        account = None
        if person is None and row.employee_no in accounts:
            account, owner = accounts[row.employee_no]
            if owner:
                errors.append(
                    _(
                        "The login name %(number)s already belongs to staff member %(owner)s: "
                        "fix that person's account first."
                    )
                    % {"number": row.employee_no, "owner": owner}
                )
        report.errors.extend((row.row, message) for message in errors)
        if errors or row.employee_no in duplicated:
            continue
        sync = False
        if person is not None:
            change = _existing_person(row, unit, person, resolver)
            sync = bool(set(change.fields) - {"name"})
        elif row.active:
            change = _new_person(row, unit, resolver.labels)
            sync = True
        else:
            change = StaffChange(row.row, row.employee_no, row.name, StaffChange.SKIPPED)
            report.warnings.append(
                _(
                    "Row %(row)d: %(number)s is marked as a leaver but is not on the roster; "
                    "the row was skipped."
                )
                % {"row": row.row, "number": row.employee_no}
            )
        planned.append(
            _Planned(change=change, row=row, unit=unit, staff=person, account=account, sync=sync)
        )
    report.new_positions = sorted(new_positions)
    return planned
