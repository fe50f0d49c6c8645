"""Running counts of assignments for the managers' dashboards, kept by the database itself.

A branch has ~600k assignments; counting them on every dashboard request costs a few hundred
milliseconds. These tables hold the same numbers already grouped. Triggers on
``lms_core_assignment`` (installed by migration 0007, SQL in ``lms.services.dashboard.tallies``)
append every change as signed rows to the ``…Change`` tables, in the same transaction as the change;
so every path that writes assignments — the ORM, bulk ``update()``, ``INSERT … SELECT`` when a plan
is published, COPY, a psql session — is counted, and a completion shows on the next page load.

Writers only ever *insert* change rows: two transactions never wait for each other on a shared
counter, and a long roster import does not hold up learners completing in its units. Readers add the
folded totals and the pending changes. ``lms.services.dashboard.tallies.fold`` moves the changes
into the totals (one writer at a time), after bulk operations and when a reader finds many pending.
``manage.py lms_check_tallies`` compares everything with a live count (``--repair`` recounts).

Nobody writes these tables from Python. Rows whose count fell to zero stay (harmless, reused).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentCount(models.Model):
    """A number of assignments of a plan item credited to a unit, with a status and a due date.
    Withdrawn assignments are not counted."""

    wagtail_reference_index_ignore = True

    org_unit = models.ForeignKey(
        "lms_core.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    plan_item = models.ForeignKey(
        "lms_core.PlanItem", on_delete=models.CASCADE, related_name="+", verbose_name=_("item")
    )
    status = models.CharField(_("status"), max_length=10)
    due_date = models.DateField(_("due on"))
    n = models.IntegerField(_("assignments"), default=0)

    class Meta:
        abstract = True
        default_permissions = ()

    def __str__(self):
        return f"{self.org_unit_id}/{self.plan_item_id}/{self.status}/{self.due_date}: {self.n}"


class AssignmentTally(AssignmentCount):
    """The folded totals: one row per (unit, item, status, due date)."""

    class Meta(AssignmentCount.Meta):
        verbose_name = _("assignment tally")
        verbose_name_plural = _("assignment tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "plan_item", "status", "due_date"],
                name="lms_core_tally_key",
            )
        ]


class AssignmentTallyChange(AssignmentCount):
    """A change not folded into ``AssignmentTally`` yet (``n`` is signed)."""

    class Meta(AssignmentCount.Meta):
        verbose_name = _("assignment tally change")
        verbose_name_plural = _("assignment tally changes")


class WeekCount(models.Model):
    """A number of assignments of a plan credited to a unit completed in a week (the Monday of
    the completion's local week)."""

    wagtail_reference_index_ignore = True

    org_unit = models.ForeignKey(
        "lms_core.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    plan = models.ForeignKey(
        "lms_core.TrainingPlan",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("training plan"),
    )
    week = models.DateField(_("week"))
    n = models.IntegerField(_("completions"), default=0)

    class Meta:
        abstract = True
        default_permissions = ()

    def __str__(self):
        return f"{self.org_unit_id}/{self.plan_id}/{self.week}: {self.n}"


class CompletionWeekTally(WeekCount):
    """The folded totals: one row per (unit, plan, week)."""

    class Meta(WeekCount.Meta):
        verbose_name = _("weekly completion tally")
        verbose_name_plural = _("weekly completion tallies")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "plan", "week"], name="lms_core_week_key")
        ]


class CompletionWeekChange(WeekCount):
    """A change not folded into ``CompletionWeekTally`` yet (``n`` is signed)."""

    class Meta(WeekCount.Meta):
        verbose_name = _("weekly completion change")
        verbose_name_plural = _("weekly completion changes")
