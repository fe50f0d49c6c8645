"""The officers' weekly digest (Mondays): per sub-branch, the published plans' assignments,
completed and overdue. Part of the daily run in ``lms.services.reminders.daily``."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import Substr

from lms.models import Assignment, OrgUnit, Reminder, TrainingPlan
from lms.services.reminders import messages
from lms.services.scope import VIEW_ALL

MONDAY = 0


def officers():
    """Active users with the officer permission (by group or directly); superusers only when
    they have a staff profile; leavers never (one query)."""
    app_label, codename = VIEW_ALL.split(".")
    by_group = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    direct = Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    staff_superuser = Q(is_superuser=True, staff_profile__isnull=False)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(by_group | direct | staff_superuser)
        .exclude(staff_profile__is_active=False)
        .exclude(is_superuser=True, staff_profile__isnull=True)
        .values("pk", "email", "username", "first_name", "last_name", "staff_profile__name")
        .distinct()
        .order_by("pk")
    )


def digest_figures(today):
    """``[(sub-branch name, total, completed, overdue)]`` over the published plans' assignments
    of active staff, one row per unit on the tree's second level (two queries)."""
    length = 2 * OrgUnit.steplen
    counts = list(
        Assignment.objects.filter(
            plan_item__plan__status=TrainingPlan.PUBLISHED, staff__is_active=True
        )
        .exclude(status=Assignment.WITHDRAWN)
        .annotate(sub=Substr("org_unit__path", 1, length))
        .order_by()
        .values("sub")
        .annotate(
            total=Count("pk", filter=~Q(status=Assignment.EXEMPT)),
            completed=Count("pk", filter=Q(status=Assignment.COMPLETED)),
            overdue=Count("pk", filter=Q(status__in=Assignment.TO_DO, due_date__lt=today)),
        )
        .order_by("sub")
    )
    names = dict(
        OrgUnit.objects.filter(path__in=[row["sub"] for row in counts]).values_list("path", "name")
    )
    return [
        (names.get(row["sub"], row["sub"]), row["total"], row["completed"], row["overdue"])
        for row in counts
    ]


def digest_rows(today):
    if today.weekday() != MONDAY:
        return []
    recipients = list(officers())
    if not recipients:
        return []
    figures = digest_figures(today)
    if not figures:
        return []
    rows = []
    language = messages.recipient_language(None)
    for user in recipients:
        name = (
            user["staff_profile__name"]
            or f"{user['last_name']}{user['first_name']}"
            or user["username"]
        )
        subject, body = messages.render(language, messages.digest, name, today, figures)
        rows.append(
            Reminder(
                recipient_id=user["pk"],
                kind=Reminder.DIGEST,
                day=today,
                subject=subject,
                body=body,
                link=messages.admin_path(),
                language=language,
                email=user["email"] or "",
            )
        )
    return rows
