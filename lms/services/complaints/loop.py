"""Closing the loop (整改闭环): for each complaint, the training it caused and how far it got.

A complaint's loop is

- *no training*: no rule matched it (or nobody was left to train);
- *overdue*: something it caused is still to do past its due date;
- *in progress*: something is still to do, nothing overdue;
- *closed* (整改完成): everything it caused is completed (or the person was exempted); closed on
  the day the last of it was completed.

``with_loop`` counts them in the database, for one complaint or a page of the ledger; the
officer's list of a whole register counts only the complaints that caused training
(``lms.services.complaints.listing``, the same rules, tested against this).
"""

from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lms.models import Assignment, Complaint
from lms.services.scope import restrict

OVERDUE, IN_PROGRESS, NO_TRAINING, CLOSED = "overdue", "in_progress", "none", "closed"
STATE_LABELS = {
    OVERDUE: gettext_lazy("Training overdue"),
    IN_PROGRESS: gettext_lazy("Training in progress"),
    NO_TRAINING: gettext_lazy("No training assigned"),
    CLOSED: gettext_lazy("Rectified (整改完成)"),
}
#: The order of the officer's list: overdue first, closed last.
ORDER = [OVERDUE, IN_PROGRESS, NO_TRAINING, CLOSED]
DONE = (Assignment.COMPLETED, Assignment.EXEMPT)


def visible_complaints(user):
    """The complaints of the units ``user`` may see (officers: all)."""
    return restrict(Complaint.objects.all(), user, "org_unit__")


def with_loop(complaints, today=None):
    """``complaints`` annotated with ``links`` (trainings caused), ``done``, ``overdue``,
    ``closed_at`` (the last completion, once all are done), ``loop`` (one of the states) and
    ``loop_rank`` (its place in ``ORDER``)."""
    today = today or timezone.localdate()
    status = "trainings__assignment__status"
    to_do = Q(**{f"{status}__in": Assignment.TO_DO})
    overdue = to_do & Q(trainings__assignment__due_date__lt=today)
    annotated = complaints.annotate(
        links=Count("trainings", distinct=True),
        done=Count("trainings", filter=Q(**{f"{status}__in": DONE}), distinct=True),
        overdue=Count("trainings", filter=overdue, distinct=True),
        last_done=Max("trainings__assignment__completed_at"),
    )
    return annotated.annotate(
        loop_rank=Case(
            When(overdue__gt=0, then=Value(ORDER.index(OVERDUE))),
            When(links=0, then=Value(ORDER.index(NO_TRAINING))),
            When(done__lt=F("links"), then=Value(ORDER.index(IN_PROGRESS))),
            default=Value(ORDER.index(CLOSED)),
            output_field=IntegerField(),
        )
    )


def state_of(complaint):
    """The loop state of a row of ``with_loop``."""
    return ORDER[complaint.loop_rank]


def closed_on(complaint):
    """The day the loop closed (None while open)."""
    if state_of(complaint) != CLOSED or complaint.last_done is None:
        return None
    return timezone.localdate(complaint.last_done)
