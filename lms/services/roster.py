"""Importing the roster: check and plan every row, then write all of them in one transaction or
none (the format is in ``lms.importing.roster``); and keeping many people's assignments in step
at once after a roster change.

Rules: a row is matched to a person by employee number; a new number adds a person with a login
account whose username is the employee number and whose password is unusable (the bank's sign-on
or an administrator sets it); an existing account with that username and no staff profile is
linked instead. A changed unit is a transfer. Only a 离职/inactive row makes a leaver: the
person and their account are deactivated, never deleted; people missing from the file are left
alone (files may be partial). A 在职/active row for a leaver reactivates them. A leaver row for
someone not on the roster is skipped with a warning.
"""

import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import registry as log_registry

from ..importing.roster import (
    HIRE_DATE,
    POSITION,
    STATUS,
    ImportFileError,
    RosterReport,
    RosterRow,
    StaffChange,
    map_header,
    parse_row,
    read_rows,
)
from ..models import OrgUnit, Position, StaffProfile
from .plans import _chunks, sync_many

# --- Planning ------------------------------------------------------------------------------


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
        self.status = {True: _("active"), False: _("inactive")}
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


def _plan(rows, report, create_positions):
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


# --- Writing -------------------------------------------------------------------------------


def _create_accounts(planned):
    """Accounts for new people: existing ones linked and updated, the others created."""
    user_model = get_user_model()
    field = user_model.USERNAME_FIELD
    linked, created = [], []
    for entry in planned:
        account = entry.account
        if account is None:
            # What set_unusable_password() stores, made with one call instead of forty: it
            # matters for 20,000 new accounts.
            account = user_model(
                **{field: entry.row.employee_no},
                password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
            )
            created.append(account)
        else:
            linked.append(account)
        account.first_name = entry.row.name
        account.is_active = True
        entry.account = account
    user_model.objects.bulk_create(created, batch_size=1000)
    if created and created[0].pk is None:  # a database that cannot return new keys
        pks = {}
        for chunk in _chunks([account.get_username() for account in created]):
            pks.update(
                user_model.objects.filter(**{f"{field}__in": chunk}).values_list(field, "pk")
            )
        for account in created:
            account.pk = pks[account.get_username()]
    user_model.objects.bulk_update(linked, ["first_name", "is_active"], batch_size=500)


def _log(profiles, action, user, filename, batch, now):
    if not profiles:
        return
    log_model = log_registry.get_log_model_for_model(StaffProfile)
    content_type = ContentType.objects.get_for_model(StaffProfile)
    log_model.objects.bulk_create(
        [
            log_model(
                content_type=content_type,
                label=str(profile),
                action=action,
                object_id=str(profile.pk),
                timestamp=now,
                uuid=batch,
                user=user if user is not None and user.pk else None,
                data={"roster_import": filename},
            )
            for profile in profiles
        ],
        batch_size=1000,
    )


def _create_people(new, positions):
    """Accounts and staff profiles for the new people (bulk inserts)."""
    _create_accounts(new)
    created = [
        StaffProfile(
            user=entry.account,
            employee_no=entry.row.employee_no,
            name=entry.row.name,
            org_unit_id=entry.unit.pk,
            position_id=positions[entry.row.position] if entry.row.position else None,
            hire_date=entry.row.hire_date,
            is_active=True,
        )
        for entry in new
    ]
    StaffProfile.objects.bulk_create(created, batch_size=1000)
    if created and created[0].pk is None:
        pks = {}
        for chunk in _chunks([profile.employee_no for profile in created]):
            pks.update(
                StaffProfile.objects.filter(employee_no__in=chunk).values_list("employee_no", "pk")
            )
        for profile in created:
            profile.pk = pks[profile.employee_no]
    for entry, profile in zip(new, created, strict=True):
        entry.staff = profile
    return created


def _new_values(entry, positions, now):
    """The changed fields of an updated person and of their account."""
    row = entry.row
    values, account = {"updated_at": now}, {}  # update() does not apply auto_now
    for name in entry.change.fields:
        if name == "name":
            values["name"] = account["first_name"] = row.name
        elif name == "org_unit":
            values["org_unit_id"] = entry.unit.pk
        elif name == "position":
            values["position_id"] = positions[row.position] if row.position else None
        elif name == "hire_date":
            values["hire_date"] = row.hire_date
        elif name == "is_active":
            values.update(is_active=row.active, left_at=None if row.active else now)
            account["is_active"] = row.active
    return values, account


def _update_grouped(model, groups):
    """``groups`` maps ``((field, value), …)`` to the keys of the rows that get those values."""
    for values, pks in groups.items():
        for chunk in _chunks(pks):
            model.objects.filter(pk__in=chunk).update(**dict(values))


@transaction.atomic
def _write(planned, report, user):
    now = timezone.now()
    batch = uuid.uuid4()
    if report.new_positions:
        Position.objects.bulk_create([Position(name=name) for name in report.new_positions])
    positions = dict(Position.objects.values_list("name", "pk"))
    new = [entry for entry in planned if entry.change.action == StaffChange.NEW]
    updates = [
        entry
        for entry in planned
        if entry.change.action in (StaffChange.CHANGED, StaffChange.LEAVING)
    ]

    created = _create_people(new, positions)
    sync_ids = [entry.staff.pk for entry in updates if entry.sync]
    # One UPDATE per set of identical new values (all the moves to one outlet, all the leavers…):
    # far quicker than bulk_update's CASE per row.
    profile_values, account_values = defaultdict(list), defaultdict(list)
    for entry in updates:
        values, account = _new_values(entry, positions, now)
        profile_values[tuple(sorted(values.items()))].append(entry.staff.pk)
        if account:
            account_values[tuple(sorted(account.items()))].append(entry.staff.user_id)
        entry.staff.name = entry.row.name  # for the history's label
    _update_grouped(StaffProfile, profile_values)
    _update_grouped(get_user_model(), account_values)

    _log(created, "wagtail.create", user, report.filename, batch, now)
    _log([entry.staff for entry in updates], "wagtail.edit", user, report.filename, batch, now)
    return sync_many([profile.pk for profile in created] + sync_ids)


def import_roster(file_bytes, filename, dry_run=False, create_positions=False, user=None):
    """Import the staff of an .xlsx or .csv roster file, all or nothing (see the module
    docstring for the rules and ``lms.importing.roster`` for the format). With ``dry_run``
    nothing is written but the report lists what would change: new people, changed ones
    (field by field, transfers flagged) and leavers. Unknown positions are errors unless
    ``create_positions``. Assignments of published plans are brought in step for everyone the
    import adds, moves, re-positions, re-dates, deactivates or reactivates. ``user`` is recorded
    in the admin history of each added or changed person. Returns a RosterReport."""
    report = RosterReport(filename=filename, dry_run=dry_run)
    try:
        rows = read_rows(file_bytes, filename)
    except ImportFileError as error:
        report.errors.append((None, str(error)))
        return report
    if not rows:
        report.errors.append((None, _("The file is empty.")))
        return report

    header_number, header = rows[0]
    columns = map_header(header_number, header, report)
    if not report.ok:
        return report
    valid = []
    for number, cells in rows[1:]:
        values = {key: cells[index] if index < len(cells) else "" for key, index in columns.items()}
        row, errors = parse_row(number, values)
        report.errors.extend((number, message) for message in errors)
        if row is not None:
            valid.append(row)
    report.rows = len(rows) - 1
    if not report.rows:
        report.errors.append((None, _("The file has no people below the header.")))
        return report

    # Unknown units and the like are reported together with the row errors above.
    planned = _plan(valid, report, create_positions)
    if not report.ok:
        report.errors.sort(key=lambda error: error[0] or 0)
        report.new_positions = []
        return report
    actions = [entry.change.action for entry in planned]
    report.created = actions.count(StaffChange.NEW)
    report.changed = actions.count(StaffChange.CHANGED)
    report.leaving = actions.count(StaffChange.LEAVING)
    report.unchanged = actions.count(StaffChange.UNCHANGED)
    report.skipped = actions.count(StaffChange.SKIPPED)
    report.transfers = sum(1 for entry in planned if entry.change.transfer)
    report.reactivated = sum(1 for entry in planned if entry.change.reactivated)
    report.changes = [
        entry.change
        for entry in planned
        if entry.change.action not in (StaffChange.UNCHANGED, StaffChange.SKIPPED)
    ]
    if dry_run:
        return report
    try:
        report.synced = _write(planned, report, user)
    except IntegrityError:
        # Someone else changed the roster at the same moment (e.g. two imports at once).
        report.errors.append(
            (None, _("The roster changed while importing: nothing was imported. Try again."))
        )
    return report
