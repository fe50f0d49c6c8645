"""The question (item) analysis report: per question p, r_pb, D, the choices picked and the
flags, filtered by quiz, flag and type, exported as CSV or XLSX. The numbers come from
``quizzes.services.analytics``; this view only filters, orders, pages, exports and draws them."""

import datetime

import django_filters
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from ...models import Attempt, Question, Quiz
from ...services import analytics
from .base import URL_NAMESPACE, AnalyticsPermissionMixin, TemplateColumn, fixed, percent

ANY_FLAG = "any"


class ItemAnalysisFilterSet(WagtailFilterSet):
    """The form of the question analysis. The view applies it to the computed items; the
    statistics are not a queryset, so ``filter_queryset`` is not used."""

    quiz = django_filters.ModelChoiceFilter(
        label=_("Quiz"), queryset=Quiz.objects.order_by("title"), empty_label=_("All quizzes")
    )
    flag = django_filters.ChoiceFilter(
        label=_("Flag"),
        choices=[(ANY_FLAG, _("Any flag")), *analytics.FLAG_LABELS.items()],
        empty_label=pgettext_lazy("filter", "All"),
        widget=forms.RadioSelect,
    )
    type = django_filters.ChoiceFilter(
        label=pgettext_lazy("question type", "Type"),
        choices=Question.TYPE_CHOICES,
        empty_label=pgettext_lazy("filter", "All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Attempt
        fields = []


def _choices_summary(choices):
    return "; ".join(
        f"{'✓ ' if c.correct else ''}{c.text}: {c.picks} ({percent(c.proportion)})" for c in choices
    )


def _dimensions_summary(dimensions):
    return "; ".join(
        f"{d.dimension} ✓ {d.code} {d.name}: {percent(d.share)}"
        + (f", ✗ {d.wrong_code} {d.wrong_name}: {d.wrong_picks}" if d.wrong_code else "")
        for d in dimensions
    )


def _flags_summary(flags):
    return ", ".join(str(analytics.FLAG_LABELS[flag]) for flag in flags)


def _none_last(key, descending):
    def sort_key(item):
        value = getattr(item, key)
        missing = value is None
        # None sorts last both ways.
        return (missing != descending, value if not missing else 0)

    return sort_key


class ItemAnalysisReportView(AnalyticsPermissionMixin, ReportView):
    """Per question: presented, answered, p, r_pb, D, choice picks and flags."""

    page_title = _("Question analysis")
    header_icon = "help"
    index_url_name = f"{URL_NAMESPACE}:questions"
    index_results_url_name = f"{URL_NAMESPACE}:questions_results"
    results_template_name = "quizzes/admin/item_analysis_results.html"
    filterset_class = ItemAnalysisFilterSet
    verbose_name_plural = _("questions")
    list_export = [
        "question_id",
        "stem",
        "type",
        "category",
        "points",
        "presented",
        "answered",
        "p",
        "r_pb",
        "d_index",
        "choices",
        "dimensions",
        "flags",
    ]
    export_headings = {
        "question_id": _("Question ID"),
        "stem": _("Question"),
        "type": pgettext_lazy("question type", "Type"),
        "category": _("Category"),
        "points": _("Points"),
        "presented": _("Presented"),
        "answered": _("Answered"),
        "p": _("p (proportion correct)"),
        "r_pb": _("r_pb (point-biserial)"),
        "d_index": _("D (upper/lower 27%)"),
        "choices": _("Choices picked"),
        "dimensions": _("Per dimension (classification)"),
        "flags": _("Flags"),
    }
    sortable = ["presented", "answered", "p", "r_pb", "d_index"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        types = dict(Question.TYPE_CHOICES)
        summary = {
            "choices": _choices_summary,
            "dimensions": _dimensions_summary,
            "flags": _flags_summary,
            "type": lambda value: str(types.get(value, value)),
            "p": lambda value: round(value, 4),
        }
        self.custom_field_preprocess = {
            name: {self.FORMAT_CSV: function, self.FORMAT_XLSX: function}
            for name, function in summary.items()
        }

    def get_filename(self):
        return f"question-analysis-{datetime.date.today():%Y-%m-%d}"

    @cached_property
    def columns(self):
        types = dict(Question.TYPE_CHOICES)
        return [
            TitleColumn(
                "stem",
                label=_("Question"),
                get_url=self.edit_url,
                accessor=lambda item: _short(item.stem),
            ),
            Column(
                "type",
                label=pgettext_lazy("question type", "Type"),
                accessor=lambda item: types.get(item.type, item.type),
            ),
            Column("category", label=_("Category")),
            Column("presented", label=_("Presented"), sort_key="presented"),
            Column("answered", label=_("Answered"), sort_key="answered"),
            Column("p", label="p", sort_key="p", accessor=lambda item: fixed(item.p)),
            Column("r_pb", label="r_pb", sort_key="r_pb", accessor=lambda item: fixed(item.r_pb)),
            Column("d_index", label="D", sort_key="d_index", accessor=lambda i: fixed(i.d_index)),
            TemplateColumn("choices", "quizzes/admin/_choices_cell.html", label=_("Choices")),
            TemplateColumn("flags", "quizzes/admin/_flags_cell.html", label=_("Flags")),
        ]

    def get_valid_orderings(self):
        return [*self.sortable, *(f"-{key}" for key in self.sortable)]

    def get_queryset(self):
        # Not a queryset: ReportView pages and exports any sequence.
        return []

    def get_filtered_queryset(self):
        data = {}
        if self.filters and self.filters.is_valid():
            data = self.filters.form.cleaned_data
        items = analytics.item_statistics(quiz=data.get("quiz"))
        if data.get("type"):
            items = [item for item in items if item.type == data["type"]]
        flag = data.get("flag")
        if flag == ANY_FLAG:
            items = [item for item in items if item.flags]
        elif flag:
            items = [item for item in items if flag in item.flags]
        if self.ordering:
            key = self.ordering.lstrip("-")
            descending = self.ordering.startswith("-")
            items.sort(key=_none_last(key, descending), reverse=descending)
        return items

    def decorate_paginated_queryset(self, object_list):
        # Questions deleted from the bank since keep their statistics, without a link.
        ids = [item.question_id for item in object_list]
        self.existing_ids = set(Question.objects.filter(pk__in=ids).values_list("pk", flat=True))
        return object_list

    def edit_url(self, item):
        viewset = getattr(Question, "snippet_viewset", None)
        if viewset is None or item.question_id not in getattr(self, "existing_ids", ()):
            return None
        return reverse(viewset.get_url_name("edit"), args=[item.question_id])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            too_easy=analytics.TOO_EASY_P,
            too_hard=analytics.TOO_HARD_P,
            low_discrimination=analytics.LOW_DISCRIMINATION_R,
            min_attempts=analytics.MIN_ATTEMPTS,
        )
        return context


def _short(text, length=80):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
