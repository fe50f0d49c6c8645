"""The organisation: units (branch → sub-branch → outlet), positions and staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node


class OrgUnit(MP_Node):
    BRANCH = "branch"
    SUB_BRANCH = "sub_branch"
    OUTLET = "outlet"
    DEPARTMENT = "department"
    KIND_CHOICES = [
        (BRANCH, _("Branch")),
        (SUB_BRANCH, _("Sub-branch")),
        (OUTLET, _("Outlet")),
        (DEPARTMENT, _("Department")),
    ]

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(pgettext_lazy("org unit", "name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES, default=OUTLET)
    is_active = models.BooleanField(_("in use"), default=True)

    node_order_by = ["code"]

    class Meta:
        permissions = [("view_all_progress", _("Can see the progress of every unit"))]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self):
        return self.name

    def subtree_q(self, prefix="org_unit__"):
        """A filter for objects whose unit is this unit or below it."""
        return models.Q(**{f"{prefix}path__startswith": self.path})


class Position(models.Model):
    #: The staff groups the PBOC's rules name for training coverage (中高级管理人员, 基层业务
    #: 人员); new hires (新入职人员) are told by their hire date, not by position.
    MANAGEMENT = "management"
    FRONT_LINE = "front_line"
    OTHER = "other"
    LEVEL_CHOICES = [
        (MANAGEMENT, _("Senior and middle management")),
        (FRONT_LINE, _("Front-line business staff")),
        (OTHER, _("Other staff")),
    ]

    name = models.CharField(pgettext_lazy("position", "name"), max_length=50, unique=True)
    staff_level = models.CharField(
        _("staff group"),
        max_length=12,
        choices=LEVEL_CHOICES,
        default=FRONT_LINE,
        help_text=_("How the annual training summary counts this position's coverage."),
    )
    high_complaint = models.BooleanField(
        _("high-complaint role"),
        default=False,
        help_text=_("Roles with frequent complaints get extra training items (投诉多发岗位)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self):
        return self.name


class StaffProfile(models.Model):
    """A member of staff. The Django user's username is the employee number (kept as text:
    leading zeros matter). Leavers are deactivated, never deleted: their records stay."""

    wagtail_reference_index_ignore = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    employee_no = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("unit")
    )
    position = models.ForeignKey(
        Position,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("position"),
    )
    managed_units = models.ManyToManyField(
        OrgUnit,
        blank=True,
        related_name="managers",
        verbose_name=_("manages"),
        help_text=_(
            "Units whose progress this person may see and chase (with everything below them), "
            "e.g. an outlet head's outlet."
        ),
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    is_active = models.BooleanField(pgettext_lazy("staff status", "active"), default=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self):
        return f"{self.name} ({self.employee_no})"
