"""The daily renewal run (``manage.py lms_recertify``): completions of items that expire
(``PlanItem.validity_kind``) are assigned again before they lapse, and renewals not done in
time become *expired*.

- **Renew**: a completed assignment of a published plan whose completion counts only through
  ``LMS_RECERTIFY_LEAD_DAYS`` (30) days from the run's day or less opens again, due the day
  its completion lapses (``valid_until``), for an active person. Its record stays as evidence
  (``Assignment.record`` is cleared, the record is not touched); ``prior_valid_until`` keeps
  the date the renewal continues from, so a renewal done early loses nothing
  (``lms.services.compliance.validity``). One that has already lapsed (the run did not run, or
  a completion credited late) opens as expired, due a full lead time from the run's day. A
  course is taken again from its first lesson (``courses.services.progress.restart_course``).
- **Expire**: an open renewal whose completion has lapsed (``valid_until`` before the run's
  day) becomes expired: to do, chased as overdue, counted as not done.

Idempotent: each step only picks rows in the state it changes, so a second run the same day
changes nothing. One UPDATE per plan item and step (the tally triggers net each statement), in
one transaction per item."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from courses.services.progress import restart_course
from lms.conf import app_settings
from lms.models import Assignment, PlanItem, TrainingPlan


def expiring_items():
    """Plan items of published plans whose completions expire."""
    return PlanItem.objects.filter(plan__status=TrainingPlan.PUBLISHED).exclude(
        validity_kind=PlanItem.NO_EXPIRY
    )


def recertify(day=None, dry_run=False):
    """Run the renewals of ``day`` (default today in the site's time zone). Returns
    ``{"day", "renewed", "lapsed", "expired", "items"}``: assignments opened again, of those
    already lapsed (opened as expired), open renewals that expired, and items looked at. With
    ``dry_run`` only counts."""
    day = day or timezone.localdate()
    lead = datetime.timedelta(days=app_settings.LMS_RECERTIFY_LEAD_DAYS)
    now = timezone.now()
    totals = {"day": day.isoformat(), "renewed": 0, "lapsed": 0, "expired": 0, "items": 0}
    for item_id, kind, course_id in expiring_items().values_list("pk", "kind", "course_id"):
        totals["items"] += 1
        with transaction.atomic():
            renew = Assignment.objects.filter(
                plan_item_id=item_id,
                status=Assignment.COMPLETED,
                valid_until__lte=day + lead,
                staff__is_active=True,
            )
            lapsed = renew.filter(valid_until__lt=day)
            expire = Assignment.objects.filter(
                plan_item_id=item_id, status=Assignment.OPEN, valid_until__lt=day
            )
            if dry_run:
                totals["lapsed"] += lapsed.count()
                totals["renewed"] += renew.count()
                totals["expired"] += expire.count()
                continue
            reopen = {
                "completed_at": None,
                "record": None,
                "started_at": None,
                "reopened_at": now,
                "prior_valid_until": F("valid_until"),
            }
            if kind == PlanItem.COURSE and course_id is not None:
                # A course is taken again from its first lesson.
                restart_course(renew.values_list("staff__user_id", flat=True), course_id)
            # Expire first: the lapsed renewals below are expired already.
            totals["expired"] += expire.update(status=Assignment.EXPIRED)
            count = lapsed.update(status=Assignment.EXPIRED, due_date=day + lead, **reopen)
            totals["lapsed"] += count
            totals["renewed"] += count + renew.update(
                status=Assignment.OPEN, due_date=F("valid_until"), **reopen
            )
    return totals
