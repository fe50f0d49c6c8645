"""Classification codes: the complaint taxonomy of JR/T 0169-2018 (金融消费者投诉统计分类及编码
银行业金融机构) as data the bank can extend. Three dimensions — A 业务办理渠道 (channel), B 业务类别
(business category), C 投诉原因 (complaint reason) — each a tree of codes. Questions, courses
and lessons are tagged with codes, so content is findable by dimension, and a classification
question asks for one code per dimension.

The standard's official numbers are not reproduced: each code's ``code`` is this product's own
stable key (``A.1.3.2``: the dimension and the position in the tree, as seeded), and a bank's
own sub-codes are added below any code with a key of its choosing (``standard`` False)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClassificationCodeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of(self, dimension):
        return self.filter(dimension=dimension)


class ClassificationCode(models.Model):
    CHANNEL = "A"
    BUSINESS = "B"
    REASON = "C"
    DIMENSION_CHOICES = [
        (CHANNEL, _("Channel (A)")),
        (BUSINESS, _("Business category (B)")),
        (REASON, _("Complaint reason (C)")),
    ]

    dimension = models.CharField(_("dimension"), max_length=1, choices=DIMENSION_CHOICES)
    code = models.CharField(
        pgettext_lazy("classification", "code"),
        max_length=20,
        unique=True,
        help_text=_("A stable key, e.g. C.5 or the bank's own C.5.1; never reused."),
    )
    name = models.CharField(pgettext_lazy("classification", "name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent code"),
    )
    standard = models.BooleanField(
        _("from the standard"),
        default=False,
        help_text=_("Part of JR/T 0169-2018 as shipped; the bank's own codes are not."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = ClassificationCodeQuerySet.as_manager()

    class Meta:
        ordering = ["dimension", "code"]
        verbose_name = _("classification code")
        verbose_name_plural = _("classification codes")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "parent", "name"], name="lms_quizzes_code_name_once"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        if self.parent_id and self.parent.dimension != self.dimension:
            raise ValidationError({"parent": _("A code's parent must be of the same dimension.")})
        if self.code and not self.code.upper().startswith(self.dimension):
            raise ValidationError(
                {
                    "code": _("A code of dimension %(dimension)s starts with %(dimension)s.")
                    % {"dimension": self.dimension}
                }
            )
