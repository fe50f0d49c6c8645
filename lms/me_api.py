"""The learner's own plan data in JSON (mounted by ``lms.api`` under ``/api/v1/``): my
assignments with their status, my completion records and my notifications (reminders).

Thin: the querysets and rules are in ``lms.services.home`` and ``lms.services.plans``, the same
the learner home page uses. Every answer holds the logged-in user's data only; someone without a
staff profile simply has no assignments.
"""

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Router, Schema

from .services.home import my_assignments, my_records
from .services.notifications import my_notifications
from .services.plans import assignment_status

router = Router(tags=["me"])


class MyAssignment(Schema):
    id: int = Field(description="The assignment.")
    plan_item_id: int
    title: str = Field(description="The plan item's title.")
    kind: str = Field(description="course | quiz")
    course_id: int | None = Field(description="For a course item: the course page.")
    quiz_id: int | None = Field(description="For a quiz item: the quiz.")
    due_date: date
    status: str = Field(
        description="not_started | in_progress | overdue | completed (overdue: open and past "
        "its due date in Asia/Shanghai)."
    )
    completed_at: datetime | None
    credit_hours: float


class MyRecord(Schema):
    id: int
    title: str
    kind: str = Field(description="course | quiz")
    course_id: int | None
    quiz_id: int | None
    completed_at: datetime
    method: str = Field(description="online | quiz_pass | officer_import | correction")
    score: float | None = Field(description="Percent, when the completion had a score.")
    credit_hours: float
    superseded: bool = Field(
        description="A later correction replaced this record: its hours no longer count."
    )


class MyNotification(Schema):
    id: int
    kind: str = Field(description="due_soon | overdue | chase | digest | manual")
    subject: str
    body: str = Field(description="Plain text, in the recipient's language.")
    link: str = Field(description="Where the notification points to (absolute URL), or empty.")
    assignment_id: int | None = Field(description="The assignment it is about, if any.")
    sent_at: datetime
    read_at: datetime | None


class MyNotifications(Schema):
    unread: int = Field(description="How many of my notifications are unread.")
    items: list[MyNotification] = Field(description="My newest notifications, newest first.")


def _number(value):
    return float(value) if value is not None else None


@router.get("/me/assignments", response=list[MyAssignment], summary="My assignments")
def assignments(request):
    """My assignments of the published plans (withdrawn ones left out), soonest due first."""
    today = timezone.localdate()
    return [
        {
            "id": assignment.pk,
            "plan_item_id": assignment.plan_item_id,
            "title": assignment.plan_item.title,
            "kind": assignment.plan_item.kind,
            "course_id": assignment.plan_item.course_id,
            "quiz_id": assignment.plan_item.quiz_id,
            "due_date": assignment.due_date,
            "status": assignment_status(assignment, today),
            "completed_at": assignment.completed_at,
            "credit_hours": float(assignment.plan_item.credit_hours),
        }
        for assignment in my_assignments(request.user)
    ]


@router.get("/me/records", response=list[MyRecord], summary="My completion records")
def records(request):
    """All my completion records, newest first; corrected ones are kept and flagged."""
    return [
        {
            "id": record.pk,
            "title": record.title,
            "kind": record.kind,
            "course_id": record.course_id,
            "quiz_id": record.quiz_id,
            "completed_at": record.completed_at,
            "method": record.method,
            "score": _number(record.score),
            "credit_hours": float(record.credit_hours),
            "superseded": record.superseded,
        }
        for record in my_records(request.user)
    ]


@router.get("/me/notifications", response=MyNotifications, summary="My notifications")
def notifications(request):
    """My newest in-app notifications (reminders), newest first, and the unread count."""
    inbox = my_notifications(request.user)
    return {
        "unread": inbox.unread,
        "items": [
            {
                "id": note.pk,
                "kind": note.kind,
                "subject": note.subject,
                "body": note.body,
                "link": note.link,
                "assignment_id": note.assignment_id,
                "sent_at": note.sent_at,
                "read_at": note.read_at,
            }
            for note in inbox.items
        ],
    }
