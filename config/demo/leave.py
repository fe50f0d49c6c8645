"""Exemptions and extensions in the demo: someone of the demo manager's outlet on maternity leave
is exempt from the annual test, and a colleague sent on a secondment has a later due date for a
course; both granted by the demo officer, so 团队进度 shows *已豁免* and the extended date. And one
correction of a record by the officer, with its reason, for the annual summary's table of them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from lms.models import Assignment, CompletionRecord, Exemption
from lms.services.compliance import exemptions
from lms.services.records.chain import supersede_record

OUTLET = "LZ0101"
ACCOUNTS = {"teller", "teller2", "manager", "officer", "trainer"}


def _open_assignments(kind):
    return (
        Assignment.objects.filter(
            org_unit__code=OUTLET,
            status=Assignment.OPEN,
            plan_item__kind=kind,
            staff__is_active=True,
        )
        .exclude(staff__employee_no__in=ACCOUNTS)
        .select_related("staff", "plan_item")
        .order_by("staff__employee_no", "plan_item__sort_order")
    )


def grant_leave(officer):
    """One exemption and one extension (none if nobody is left to give them to)."""
    if officer is None or Exemption.objects.exists():
        return 0
    granted = 0
    exempt = _open_assignments("quiz").first()
    if exempt is not None:
        exemptions.grant(officer, exempt.staff, exempt.plan_item, Exemption.EXEMPT, "产假")
        granted += 1
    later = _open_assignments("course").exclude(staff=getattr(exempt, "staff", None)).first()
    if later is not None:
        due = max(later.due_date, timezone.localdate()) + datetime.timedelta(days=30)
        exemptions.grant(
            officer, later.staff, later.plan_item, Exemption.EXTENSION, "外派学习", due_date=due
        )
        granted += 1
    return granted


def correct_one(officer):
    """The officer corrects one course record of the outlet: half an hour of make-up reading
    was left out (none if there is one already, or nothing to correct)."""
    if (
        officer is None
        or CompletionRecord.objects.filter(method=CompletionRecord.CORRECTION).exists()
    ):
        return None
    record = (
        CompletionRecord.objects.filter(
            kind=CompletionRecord.COURSE,
            credited_unit__code=OUTLET,
            supersedes__isnull=True,
            superseded_by__isnull=True,
        )
        .exclude(staff__employee_no__in=ACCOUNTS)
        .order_by("completed_at", "pk")
        .first()
    )
    if record is None:
        return None
    return supersede_record(
        record,
        reason="补学半小时未计入学时，按签到表更正",
        recorded_by=officer,
        credit_hours=record.credit_hours + Decimal("0.5"),
    )
