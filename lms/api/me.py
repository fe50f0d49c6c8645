"""The learner's own plan data in JSON (mounted by ``lms.api`` under ``/api/v1/``): my
assignments with their status, my completion records and my notifications (reminders).

Thin: the querysets and rules are in ``lms.services.learning.home`` and ``lms.services.plans``, the
same the learner home page uses. Every answer holds the logged-in user's data only; someone without
a staff profile simply has no assignments."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)
from lms.models import PlanItem
from lms.services.learning import offline
from lms.services.learning.attestations import AttestationError, attest, attestation_state
from lms.services.learning.home import item_url, my_assignments, my_records
from lms.services.learning.offline import upcoming_sessions
from lms.services.plans import assignment_status
from lms.services.reminders.notifications import my_notifications

router = Router(tags=["me"])


class MyAssignment(Schema):
    id: int = Field(description="The assignment.")
    plan_item_id: int
    title: str = Field(description="The plan item's title.")
    kind: str = Field(description="course | quiz | attestation | offline")
    course_id: int | None = Field(description="For a course item: the course page.")
    quiz_id: int | None = Field(description="For a quiz item: the quiz.")
    page_id: int | None = Field(description="For an attestation: the page to read.")
    url: str | None = Field(description="Where the learner goes for this item (site path).")
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
    kind: str = Field(description="course | quiz | attestation | offline")
    course_id: int | None
    quiz_id: int | None
    page_id: int | None = Field(description="An attestation's page.")
    content_revision_id: int | None = Field(description="The exact revision completed.")
    session_id: int | None = Field(description="An offline session attended.")
    completed_at: datetime
    method: str = Field(
        description="online | quiz_pass | attested | check_in | officer_import | correction"
    )
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
    link: str = Field(
        description="Where the notification points to (absolute URL on the serving host), or empty."
    )
    assignment_id: int | None = Field(description="The assignment it is about, if any.")
    sent_at: datetime
    read_at: datetime | None


class MyNotifications(Schema):
    unread: int = Field(description="How many of my notifications are unread.")
    items: list[MyNotification] = Field(description="My newest notifications, newest first.")


def _number(value):
    return float(value) if value is not None else None


@router.get(
    "/me/assignments",
    response=list[MyAssignment],
    summary="My assignments",
    operation_id="lms_me_api_assignments",
)
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
            "page_id": assignment.plan_item.page_id,
            "url": item_url(assignment.plan_item, request),
            "due_date": assignment.due_date,
            "status": assignment_status(assignment, today),
            "completed_at": assignment.completed_at,
            "credit_hours": float(assignment.plan_item.credit_hours),
        }
        for assignment in my_assignments(request.user)
    ]


@router.get(
    "/me/records",
    response=list[MyRecord],
    summary="My completion records",
    operation_id="lms_me_api_records",
)
def records(request):
    """All my completion records, newest first; corrected ones are kept and flagged."""
    return [
        {
            "id": record.pk,
            "title": record.title,
            "kind": record.kind,
            "course_id": record.course_id,
            "quiz_id": record.quiz_id,
            "page_id": record.page_id,
            "content_revision_id": record.content_revision_id,
            "session_id": record.session_id,
            "completed_at": record.completed_at,
            "method": record.method,
            "score": _number(record.score),
            "credit_hours": float(record.credit_hours),
            "superseded": record.superseded,
        }
        for record in my_records(request.user)
    ]


class Error(Schema):
    detail: str


class MySession(Schema):
    id: int
    plan_item_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    trainer: str
    credit_hours: float


class CheckInIn(Schema):
    token: str = Field(description="The ``t`` parameter of the link in the session's QR code.")


class AttestIn(Schema):
    password: str = Field(
        "", max_length=128, description="My login password, to sign the confirmation."
    )


class Confirmation(Schema):
    record_id: int
    completed_at: datetime
    created: bool = Field(description="False when this confirms what was already recorded.")


@router.get(
    "/me/sessions",
    response=list[MySession],
    summary="My upcoming offline sessions",
    operation_id="lms_me_api_sessions",
)
def sessions(request):
    """Offline sessions I am invited to and have not attended, soonest first."""
    return [
        {
            "id": session.pk,
            "plan_item_id": session.plan_item_id,
            "title": session.title,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "place": session.place,
            "trainer": session.trainer,
            "credit_hours": float(session.hours),
        }
        for session in upcoming_sessions(request.user)
    ]


@router.post(
    "/me/check-in",
    response={200: Confirmation, 400: Error},
    summary="Check in to an offline session",
    operation_id="lms_me_api_check_in",
)
def check_in(request, data: CheckInIn):
    """Check in with the token of the session's QR code (valid two minutes). Checking in again
    returns the first check-in."""
    try:
        session = offline.read_token(data.token)
        row, created = offline.check_in(request.user, session)
    except offline.CheckInError as error:
        return Status(400, {"detail": str(error)})
    return {"record_id": row.record_id, "completed_at": row.checked_in_at, "created": created}


@router.post(
    "/me/attestations/{dbid:item_id}",
    response={200: Confirmation, 400: Error, 404: Error},
    summary="Confirm an attestation",
    operation_id="lms_me_api_confirm",
)
def confirm(request, item_id: int, data: AttestIn):
    """Record that I have read and understood the item's page as published now, signed with my
    password (asked again: an e-signature). A wrong password is a 400, and after five wrong
    ones signing is refused for 15 minutes."""
    item = get_object_or_404(
        PlanItem.objects.select_related("page"),
        pk=item_id,
        kind=PlanItem.ATTESTATION,
        assignments__staff__user=request.user,
    )
    _assignment, existing = attestation_state(request.user, item)
    try:
        record = attest(request.user, item, data.password)
    except AttestationError as error:
        return Status(400, {"detail": str(error)})
    return {
        "record_id": record.pk,
        "completed_at": record.completed_at,
        "created": existing is None,
    }


@router.get(
    "/me/notifications",
    response=MyNotifications,
    summary="My notifications",
    operation_id="lms_me_api_notifications",
)
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
                "link": request.build_absolute_uri(note.path) if note.path else "",
                "assignment_id": note.assignment_id,
                "sent_at": note.sent_at,
                "read_at": note.read_at,
            }
            for note in inbox.items
        ],
    }
