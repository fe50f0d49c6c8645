"""A manager's one-tap reminder to everyone overdue in a unit (with everything below it).

The unit comes from ``scope.visible_units(manager)`` (the view does that); this module only
decides who is overdue and sends. Rate limit: a unit can be reminded once per day (Asia/Shanghai).
Why a day and not a few hours: each person gets at most one manual reminder per assignment per
day anyway (the ``Reminder`` unique key), and who is overdue only changes when the day does, so
a second tap the same day would reach nobody new. Two taps at the same moment are serialised by
locking the unit's row; the unique key would stop duplicate reminders even without it.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from lms.models import Assignment, OrgUnit, Reminder, TrainingPlan
from lms.services.reminders import messages
from lms.services.reminders.delivery import deliver


class AlreadyReminded(Exception):
    """This unit was reminded today; ``reminder`` is the latest manual reminder sent to it."""

    def __init__(self, reminder, next_at):
        super().__init__(reminder, next_at)
        self.reminder = reminder
        self.next_at = next_at


def next_allowed(today):
    """When a unit reminded on ``today`` may be reminded again: the next midnight."""
    midnight = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight)


def person_name(user):
    profile = getattr(user, "staff_profile", None)
    return (profile.name if profile else "") or user.get_full_name() or user.get_username()


def overdue_in(unit, today, manager=None):
    """Open assignments of published plans overdue ``today`` in ``unit``'s subtree (the unit
    they are credited to), of active staff with active accounts other than ``manager``, each
    annotated with ``reminded_today``; by person, then due date (one query)."""
    reminded = Reminder.objects.filter(assignment=OuterRef("pk"), kind=Reminder.MANUAL, day=today)
    return (
        Assignment.objects.filter(
            unit.subtree_q(),
            status__in=Assignment.TO_DO,
            plan_item__plan__status=TrainingPlan.PUBLISHED,
            staff__is_active=True,
            staff__user__is_active=True,
            due_date__lt=today,
        )
        .exclude(staff__user=manager)
        .select_related("staff", "staff__user", "staff__org_unit", "plan_item")
        .annotate(reminded_today=Exists(reminded))
        .order_by("staff__employee_no", "due_date", "pk")
    )


def last_reminder(unit, today):
    """The latest manual reminder sent to ``unit`` today, or ``None``."""
    return (
        Reminder.objects.filter(org_unit=unit, kind=Reminder.MANUAL, day=today)
        .select_related("sent_by", "sent_by__staff_profile")
        .order_by("-sent_at", "-pk")
        .first()
    )


@dataclass
class Person:
    staff: object
    assignments: list = field(default_factory=list)

    @property
    def reminded_today(self):
        return all(assignment.reminded_today for assignment in self.assignments)


@dataclass
class RemindOverview:
    unit: OrgUnit
    today: datetime.date
    people: list
    last: Reminder | None

    @property
    def to_remind(self):
        return [person for person in self.people if not person.reminded_today]

    @property
    def next_at(self):
        return next_allowed(self.today) if self.last else None

    @property
    def can_send(self):
        return self.last is None and bool(self.to_remind)

    @property
    def sent_by_name(self):
        return person_name(self.last.sent_by) if self.last and self.last.sent_by else ""


def remind_overview(unit, manager, today=None):
    """Who (other than ``manager``) is overdue in ``unit``'s subtree, grouped by person, and
    whether the unit may be reminded now (two queries)."""
    today = today or timezone.localdate()
    people = {}
    for assignment in overdue_in(unit, today, manager):
        people.setdefault(assignment.staff_id, Person(assignment.staff)).assignments.append(
            assignment
        )
    return RemindOverview(unit, today, list(people.values()), last_reminder(unit, today))


def send_manual_reminders(manager, unit, today=None):
    """Remind everyone (but ``manager``) overdue in ``unit``'s subtree, in-app and by email
    (one email per person listing their overdue items), as sent by ``manager``. Raises
    ``AlreadyReminded`` if the unit was reminded today. Returns how many people were reminded
    (those already reminded today, e.g. through a parent unit, are skipped)."""
    today = today or timezone.localdate()
    language = messages.recipient_language(None)
    manager_name = person_name(manager)
    with transaction.atomic():
        # Serialises two taps on the same unit, so the second one sees the first's rows.
        list(OrgUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk"))
        last = last_reminder(unit, today)
        if last is not None:
            raise AlreadyReminded(last, next_allowed(today))
        rows = []
        for assignment in overdue_in(unit, today, manager):
            if assignment.reminded_today:
                continue
            staff = assignment.staff
            subject, body = messages.render(
                language,
                messages.manual,
                staff.name,
                assignment.plan_item.title,
                assignment.due_date,
                manager_name,
            )
            rows.append(
                Reminder(
                    recipient_id=staff.user_id,
                    kind=Reminder.MANUAL,
                    assignment=assignment,
                    org_unit=unit,
                    day=today,
                    subject=subject,
                    body=body,
                    link=messages.learn_path(),
                    language=language,
                    email=staff.user.email or "",
                    sent_by=manager,
                )
            )
        inserted = deliver(rows)
    return len({recipient for _pk, _kind, recipient, _email in inserted})
