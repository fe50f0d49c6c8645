"""The question bank: nested categories, questions with ordered choices, tags. Questions are
snippets under revisions and the approval workflow (see ``Question``)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin, WorkflowMixin
from wagtail.search import index

PATH_SEPARATOR = "/"


class QuestionCategory(models.Model):
    """A category of the bank, e.g. 消保知识/投诉处理. ``full_name`` is the whole path, kept in
    step with the parents so that a category and its sub-categories are one prefix query."""

    name = models.CharField(pgettext_lazy("question category", "name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    full_name = models.CharField(_("full path"), max_length=255, unique=True, editable=False)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self):
        return self.full_name

    @transaction.atomic
    def save(self, *args, **kwargs):
        old = self.full_name
        self.full_name = self.compute_full_name()
        super().save(*args, **kwargs)
        if old and old != self.full_name:
            for child in self.children.all():
                child.save()

    def clean(self):
        if PATH_SEPARATOR in self.name:
            raise ValidationError({"name": _("A category name cannot contain “/”.")})
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            ancestor = ancestor.parent
        duplicate = QuestionCategory.objects.filter(full_name=self.compute_full_name())
        if duplicate.exclude(pk=self.pk).exists():
            raise ValidationError({"name": _("This category already exists.")})

    def compute_full_name(self):
        prefix = f"{self.parent.full_name}{PATH_SEPARATOR}" if self.parent_id else ""
        return f"{prefix}{self.name.strip()}"

    def descendant_ids(self):
        """This category's id and those of all its sub-categories (one query)."""
        return list(
            QuestionCategory.objects.filter(
                models.Q(pk=self.pk) | models.Q(full_name__startswith=self.full_name + "/")
            ).values_list("pk", flat=True)
        )


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "lms_quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


def _key_field(dimension, verbose_name):
    return models.ForeignKey(
        "lms_quizzes.ClassificationCode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"dimension": dimension},
        verbose_name=verbose_name,
        help_text=_("Classification questions only."),
    )


class Question(WorkflowMixin, DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A question of the bank, under revisions and the approval workflow: the row is the live
    version new papers draw; an edit of a live question waits as a revision for approval."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "truefalse"
    ESSAY = "essay"
    CLASSIFY = "classify"
    TYPE_CHOICES = [
        (SINGLE, _("Single choice")),
        (MULTIPLE, _("Multiple choice")),
        (TRUE_FALSE, _("True / false")),
        (ESSAY, _("Short answer / essay")),
        (CLASSIFY, _("Complaint classification")),
    ]
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"
    STATUS_CHOICES = [
        (DRAFT, _("Draft")),
        (ACTIVE, pgettext_lazy("question status", "Active")),
        (RETIRED, _("Retired")),
    ]

    type = models.CharField(_("type"), max_length=12, choices=TYPE_CHOICES, default=SINGLE)
    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("category"),
    )
    stem = models.TextField(_("question"))
    figure = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("figure"),
    )
    explanation = models.TextField(_("explanation"), blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (easy) to 5 (hard)."),
    )
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    partial_credit = models.BooleanField(
        _("partial credit"),
        default=False,
        help_text=_(
            "Multiple choice only: credit each correct choice picked, minus each wrong one, "
            "instead of all-or-nothing."
        ),
    )
    status = models.CharField(_("status"), max_length=8, choices=STATUS_CHOICES, default=ACTIVE)
    # The key of a classification question: one code per dimension (see ``classify_key``).
    key_channel = _key_field("A", _("correct channel (A)"))
    key_business = _key_field("B", _("correct business category (B)"))
    key_reason = _key_field("C", _("correct complaint reason (C)"))
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    classification_codes = ParentalManyToManyField(
        "lms_quizzes.ClassificationCode",
        blank=True,
        related_name="questions",
        verbose_name=_("classification codes"),
    )
    created_at = models.DateTimeField(pgettext_lazy("question", "created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    search_fields = [
        index.SearchField("stem"),
        index.AutocompleteField("stem"),
        index.FilterField("type"),
        index.FilterField("status"),
        index.FilterField("category_id"),
    ]

    class Meta:
        ordering = ["category__full_name", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [("mark_answer", _("Can mark essay answers"))]

    def __str__(self):
        stem = " ".join(self.stem.split())
        return stem if len(stem) <= 60 else stem[:59] + "…"

    @property
    def has_choices(self):
        return self.type not in (self.ESSAY, self.CLASSIFY)

    #: The key fields of a classification question, by dimension.
    KEY_FIELDS = {"A": "key_channel", "B": "key_business", "C": "key_reason"}

    def classify_key(self):
        """``{dimension: ClassificationCode or None}`` of a classification question."""
        return {dim: getattr(self, name) for dim, name in self.KEY_FIELDS.items()}

    def clean(self):
        super().clean()
        if self.type != self.CLASSIFY:
            return
        errors = {}
        for dimension, name in self.KEY_FIELDS.items():
            code = getattr(self, name)
            if code is None:
                errors[name] = _("A classification question needs a code for each dimension.")
            elif code.dimension != dimension:
                errors[name] = _("Choose a code of dimension %(dimension)s.") % {
                    "dimension": dimension
                }
        if errors:
            raise ValidationError(errors)


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("choice"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.CharField(_("feedback"), max_length=500, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text
