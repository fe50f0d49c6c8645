"""Which completion counted for which assignment, from when until when: the history that
"compliant as of a date" is read from (``lms.services.compliance.as_of``).

An assignment points at its latest record only, and a renewal clears even that; these rows keep
every completion an assignment was credited with. Like the tallies they are kept by the database
itself: a trigger on ``lms_core_assignment`` (``lms.services.compliance.credits``) adds a row
whenever an assignment's record is set (a completion, an earlier completion credited, a
correction) in the same statement, so no writer can forget it and the learners' path makes no
extra round trip. A correction replaces the row of the record it supersedes. Derived data, not
evidence (no database constraints: it never blocks a write or a repair), rebuilt from what the
assignments show by ``lms.services.compliance.credits.backfill``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentCredit(models.Model):
    wagtail_reference_index_ignore = True

    assignment = models.ForeignKey(
        "lms_core.Assignment",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="credits",
        verbose_name=_("assignment"),
    )
    record = models.ForeignKey(
        "lms_core.CompletionRecord",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name=_("completion record"),
    )
    plan_item = models.ForeignKey(
        "lms_core.PlanItem",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name=_("item"),
    )
    org_unit = models.ForeignKey(
        "lms_core.OrgUnit",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name=_("credited unit"),
    )
    #: The completion's date in the site's time zone.
    valid_from = models.DateField(_("counts from"))
    valid_until = models.DateField(_("counts until"), null=True, blank=True)
    #: The day a later completion of the assignment took over (its ``valid_from``): from then
    #: on this row no longer speaks for the assignment. At most one row of an assignment is in
    #: force on any day, so a day's counts are one pass over the rows, no grouping by person.
    replaced_on = models.DateField(_("replaced on"), null=True, blank=True)

    class Meta:
        default_permissions = ()
        verbose_name = _("credited completion")
        verbose_name_plural = _("credited completions")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "record"], name="lms_core_credit_once")
        ]
        indexes = [
            # A plan's counts as of a day: read from the index alone (PostgreSQL).
            models.Index(
                fields=["plan_item", "valid_from"],
                include=["org_unit", "valid_until", "replaced_on"],
                name="lms_core_credit_item_day",
            ),
            # The same for one unit's subtree (an outlet head's pages).
            models.Index(
                fields=["org_unit", "plan_item", "valid_from"],
                include=["valid_until", "replaced_on"],
                name="lms_core_credit_unit_day",
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id} ← {self.record_id} ({self.valid_from}…{self.valid_until})"
