"""Writing a planned roster import: accounts, people, grouped updates, admin history, then
assignments brought in step. Called inside the import's transaction
(``quizzes.importing.pipeline``)."""

import secrets
import uuid
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import registry as log_registry

from lms.models import Position, StaffProfile
from lms.services.plans import _chunks, sync_many
from lms.services.roster.report import StaffChange


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


def write(planned, report, user):
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
