"""The daily reminder run: due-soon and overdue reminders to learners, chase lists to their
managers, and the officers' weekly digest.

When each goes out (``today`` is a date in Asia/Shanghai; the settings are read on each run):

- **due soon** — an open assignment of a published plan gets one reminder when it comes within
  ``LMS_REMINDER_DUE_SOON_DAYS`` (default 7) days of its due date, and a last call the day
  before it is due (or on the day itself if the run missed that). A reminder missed because the
  job did not run, or an assignment made late, is caught up on the next run, but never two
  days running: an early reminder sent 2 days or less before the due date replaces the last call.
- **overdue** — on the first day overdue, then every ``LMS_REMINDER_REPEAT_DAYS`` (default 7)
  days until it is completed or withdrawn.
- **chase** — open assignments overdue by ``LMS_REMINDER_CHASE_AFTER_DAYS`` (default 7) days or
  more are listed to the *nearest managers* of the assignment's unit: the active staff whose
  ``managed_units`` contain that unit, else its parent, and so on up the tree. A manager's own
  overdue work goes to the next manager up. One message per manager per day, listing everyone
  (grouped by the unit managed, with a link to that unit's reminder page); it goes out when
  someone new reached the threshold since the manager's last chase list, and otherwise every
  ``LMS_REMINDER_REPEAT_DAYS`` days while the list is not empty.
- **digest** — on Mondays, to every officer (active users with ``lms_core.view_all_progress``;
  superusers only if they have a staff profile; leavers never): per sub-branch, the published
  plans' assignments, completed and overdue.

Only active staff with active user accounts get reminders; withdrawn and completed assignments,
and plans not published, never. The database makes each reminder unique per day (see
``Reminder``), so running the task twice, or on two workers at once, sends each once.
"""

import datetime
from collections import defaultdict

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from lms.conf import app_settings
from lms.models import Assignment, OrgUnit, Reminder, StaffProfile, TrainingPlan
from lms.services.reminders import messages
from lms.services.reminders.delivery import deliver
from lms.services.reminders.digest import digest_rows

DAY = datetime.timedelta(days=1)


def due_soon_wanted(due_date, today, last_day, window):
    """Whether an open assignment due ``due_date`` gets a due-soon reminder ``today``, its last
    one having been sent on ``last_day`` (or never: ``None``)."""
    days_left = (due_date - today).days
    if days_left < 0 or days_left > window:
        return False
    if days_left >= 2:  # the early reminder, once in [due - window, due - 2]
        return last_day is None or last_day < due_date - window * DAY
    # the last call, unless a reminder went out 2 days before or later
    return last_day is None or last_day < due_date - 2 * DAY


def overdue_wanted(due_date, today, last_day, repeat):
    """Whether an open assignment due ``due_date`` gets an overdue reminder ``today``."""
    if due_date >= today:
        return False
    return last_day is None or (today - last_day).days >= repeat


def _last_day(kind):
    return Subquery(
        Reminder.objects.filter(assignment=OuterRef("pk"), kind=kind)
        .order_by("-day")
        .values("day")[:1]
    )


def open_assignments(today, horizon):
    """Open assignments of published plans, of active staff with active accounts, due by
    ``today + horizon`` days, as dicts with what the reminders need (one query)."""
    return (
        Assignment.objects.filter(
            status__in=Assignment.TO_DO,
            plan_item__plan__status=TrainingPlan.PUBLISHED,
            staff__is_active=True,
            staff__user__is_active=True,
            due_date__lte=today + horizon * DAY,
        )
        .annotate(
            last_due_soon=_last_day(Reminder.DUE_SOON), last_overdue=_last_day(Reminder.OVERDUE)
        )
        .values(
            "pk",
            "due_date",
            "org_unit__path",
            "plan_item__title",
            "staff__name",
            "staff__employee_no",
            "staff__user_id",
            "staff__user__email",
            "last_due_soon",
            "last_overdue",
        )
        .order_by("due_date", "pk")
    )


def _learner_row(kind, entry, today, subject_body):
    subject, body = subject_body
    return Reminder(
        recipient_id=entry["staff__user_id"],
        kind=kind,
        assignment_id=entry["pk"],
        day=today,
        subject=subject,
        body=body,
        link=messages.learn_path(),
        language=messages.recipient_language(None),
        email=entry["staff__user__email"] or "",
    )


def learner_rows(entries, today):
    """The due-soon and overdue reminders of ``entries`` (from ``open_assignments``)."""
    window = app_settings.LMS_REMINDER_DUE_SOON_DAYS
    repeat = app_settings.LMS_REMINDER_REPEAT_DAYS
    language = messages.recipient_language(None)
    rows = []
    for entry in entries:
        due = entry["due_date"]
        args = (entry["staff__name"], entry["plan_item__title"], due)
        if due_soon_wanted(due, today, entry["last_due_soon"], window):
            text = messages.render(language, messages.due_soon, *args, (due - today).days)
            rows.append(_learner_row(Reminder.DUE_SOON, entry, today, text))
        elif overdue_wanted(due, today, entry["last_overdue"], repeat):
            text = messages.render(language, messages.overdue, *args, (today - due).days)
            rows.append(_learner_row(Reminder.OVERDUE, entry, today, text))
    return rows


def active_managers():
    """``{unit path: [manager dict]}`` of the active managers (one query)."""
    through = StaffProfile.managed_units.through.objects.filter(
        staffprofile__is_active=True, staffprofile__user__is_active=True
    ).values(
        "orgunit_id",
        "orgunit__path",
        "orgunit__name",
        "staffprofile__name",
        "staffprofile__user_id",
        "staffprofile__user__email",
    )
    by_path = defaultdict(list)
    for row in through:
        by_path[row["orgunit__path"]].append(row)
    return by_path


def nearest_managers(path, learner_user_id, by_path):
    """The managers of the unit at ``path``, else of its nearest ancestor that has any, leaving
    out the learner themselves."""
    for end in range(len(path), 0, -OrgUnit.steplen):
        found = [
            m for m in by_path.get(path[:end], ()) if m["staffprofile__user_id"] != learner_user_id
        ]
        if found:
            return found
    return []


def chase_rows(entries, today):
    """One chase list per nearest manager of the assignments overdue by the chase threshold."""
    after = app_settings.LMS_REMINDER_CHASE_AFTER_DAYS
    repeat = app_settings.LMS_REMINDER_REPEAT_DAYS
    late = [entry for entry in entries if (today - entry["due_date"]).days >= after]
    if not late:
        return []
    by_path = active_managers()
    lists = defaultdict(lambda: defaultdict(list))  # manager user id → unit id → entries
    managers = {}
    for entry in late:
        for manager in nearest_managers(entry["org_unit__path"], entry["staff__user_id"], by_path):
            user_id = manager["staffprofile__user_id"]
            managers[user_id] = manager
            lists[user_id][manager["orgunit_id"]].append(entry)
    last_chase = dict(
        Reminder.objects.filter(kind=Reminder.CHASE, recipient_id__in=list(lists))
        .order_by()
        .values("recipient_id")
        .annotate(last=Max("day"))
        .values_list("recipient_id", "last")
    )
    language = messages.recipient_language(None)
    units = {m["orgunit_id"]: m["orgunit__name"] for ms in by_path.values() for m in ms}
    rows = []
    for user_id, per_unit in lists.items():
        last = last_chase.get(user_id)
        listed = [entry for unit_entries in per_unit.values() for entry in unit_entries]
        newcomer = any(last is None or entry["due_date"] + after * DAY > last for entry in listed)
        if not newcomer and (today - last).days < repeat:
            continue
        sections = [
            (unit_id, units[unit_id], [_chase_entry(entry, today) for entry in unit_entries])
            for unit_id, unit_entries in sorted(per_unit.items(), key=lambda item: units[item[0]])
        ]
        manager = managers[user_id]
        subject, body = messages.render(
            language, messages.chase, manager["staffprofile__name"], sections, after
        )
        rows.append(
            Reminder(
                recipient_id=user_id,
                kind=Reminder.CHASE,
                org_unit_id=sections[0][0] if len(sections) == 1 else None,
                day=today,
                subject=subject,
                body=body,
                link=messages.remind_path(sections[0][0]),
                language=language,
                email=manager["staffprofile__user__email"] or "",
            )
        )
    return rows


def _chase_entry(entry, today):
    return {
        "name": entry["staff__name"],
        "employee_no": entry["staff__employee_no"],
        "title": entry["plan_item__title"],
        "due_date": entry["due_date"],
        "days": (today - entry["due_date"]).days,
    }


def plan_reminders(today):
    """The reminders due ``today`` (unsaved ``Reminder`` rows), without checking for today's
    duplicates: the database drops those on insert. A constant number of queries."""
    entries = list(open_assignments(today, app_settings.LMS_REMINDER_DUE_SOON_DAYS))
    return learner_rows(entries, today) + chase_rows(entries, today) + digest_rows(today)


def send_due_reminders(today=None, dry_run=False):
    """Send today's reminders (see the module's docstring). ``today`` defaults to today in the
    site's time zone. Returns ``{"day", "due_soon", "overdue", "chase", "digest", "emails"}``:
    the counts of reminders this run stored (with ``dry_run``: would store, nothing is
    written or sent), and how many of them go out by email."""
    today = today or timezone.localdate()
    rows = plan_reminders(today)
    if dry_run:
        done = [(row.kind, bool(row.email)) for row in rows]
    else:
        done = [(kind, bool(email)) for _pk, kind, _recipient, email in deliver(rows)]
    summary = {"day": today.isoformat(), "emails": sum(1 for _kind, email in done if email)}
    for kind in (Reminder.DUE_SOON, Reminder.OVERDUE, Reminder.CHASE, Reminder.DIGEST):
        summary[kind] = sum(1 for done_kind, _email in done if done_kind == kind)
    return summary
