"""Admin reports on quiz results: the quizzes' statistics and the question (item) analysis.

Read-only. The numbers come from ``quizzes.services.analytics``; these views only filter, order,
page, export and draw them. Open to users with ``lms_quizzes.change_quiz`` (trainers, officers).
"""

import datetime

import django_filters
from django import forms
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from ..models import Attempt, Question, Quiz
from ..services import analytics

URL_NAMESPACE = "lms_quiz_analytics"
permission_policy = ModelPermissionPolicy(Quiz)


def can_view_analytics(user):
    return permission_policy.user_has_permission(user, "change")


class AnalyticsPermissionMixin(PermissionCheckedMixin):
    permission_policy = permission_policy
    permission_required = "change"


class AnalyticsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_analytics(request.user)


def quiz_results_menu_item():
    return AnalyticsMenuItem(
        _("Quiz results"),
        reverse(f"{URL_NAMESPACE}:quizzes"),
        name="quiz-results",
        icon_name="tasks",
        order=1300,
    )


def question_analysis_menu_item():
    return AnalyticsMenuItem(
        _("Question analysis"),
        reverse(f"{URL_NAMESPACE}:questions"),
        name="question-analysis",
        icon_name="help",
        order=1310,
    )


def _fixed(value, places=2):
    return "—" if value is None else f"{value:.{places}f}"


def _percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


class TemplateColumn(Column):
    """A column whose cells are rendered by a template of this app."""

    def __init__(self, name, cell_template_name, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = cell_template_name


# --- Quizzes -------------------------------------------------------------------------------

FINAL = Q(attempts__status=Attempt.FINAL)


def _pass_rate(quiz):
    return quiz.passed_attempts / quiz.final_attempts if quiz.final_attempts else None


class QuizResultsReportView(AnalyticsPermissionMixin, ReportView):
    """Every quiz with its final attempts, pass rate and mean score (one query a page)."""

    page_title = _("Quiz results")
    header_icon = "tasks"
    model = Quiz
    index_url_name = f"{URL_NAMESPACE}:quizzes"
    index_results_url_name = f"{URL_NAMESPACE}:quizzes_results"
    is_searchable = True
    search_fields = ["title"]
    search_backend_name = None  # the annotated queryset is searched with the ORM
    default_ordering = "title"
    export_filename = "quiz-results"
    # "pass_rate" is computed from the annotations by to_row_dict.
    list_export = ["title", "final_attempts", "passed_attempts", "pass_rate", "mean_score"]
    export_headings = {
        "title": _("Quiz"),
        "final_attempts": _("Attempts"),
        "passed_attempts": _("Passed"),
        "pass_rate": _("Pass rate"),
        "mean_score": _("Mean score (%)"),
    }

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Quiz"),
                sort_key="title",
                get_url=lambda quiz: reverse(f"{URL_NAMESPACE}:quiz", args=[quiz.pk]),
            ),
            Column("final_attempts", label=_("Attempts"), sort_key="final_attempts"),
            Column("passed_attempts", label=_("Passed"), sort_key="passed_attempts"),
            Column("pass_rate", label=_("Pass rate"), accessor=lambda q: _percent(_pass_rate(q))),
            Column(
                "mean_score",
                label=_("Mean score"),
                sort_key="mean_score",
                accessor=lambda q: _fixed(q.mean_score, 1),
            ),
        ]

    def get_base_queryset(self):
        return Quiz.objects.annotate(
            final_attempts=Count("attempts", filter=FINAL),
            passed_attempts=Count("attempts", filter=FINAL & Q(attempts__passed=True)),
            mean_score=Avg("attempts__score", filter=FINAL),
        )

    def to_row_dict(self, item):
        rate = _pass_rate(item)
        item.pass_rate = None if rate is None else round(rate, 4)
        return super().to_row_dict(item)


def score_chart(bands, width=640, height=260):
    """Geometry of the score distribution's bar chart, drawn as inline SVG by the template."""
    left, right, top, bottom = 36, 8, 32, 36
    plot_height = height - top - bottom
    slot = (width - left - right) / len(bands)
    bar_width = slot * 0.7
    tallest = max((band.count for band in bands), default=0)
    baseline = height - bottom
    bars = []
    for index, band in enumerate(bands):
        bar_height = plot_height * band.count / tallest if tallest else 0
        x = left + index * slot + (slot - bar_width) / 2
        bars.append(
            {
                "band": band,
                "x": round(x, 1),
                "y": round(baseline - bar_height, 1),
                "width": round(bar_width, 1),
                "height": round(bar_height, 1),
                "centre": round(x + bar_width / 2, 1),
                "count_y": round(baseline - bar_height - 4, 1),
                "share": _percent(band.proportion),
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "baseline": baseline,
        "caption_y": 12,
        "label_y": baseline + 16,
        "axis_title_y": height - 2,
        "tallest": tallest,
        "bars": bars,
    }


class QuizStatisticsView(AnalyticsPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """One quiz: attempts, pass rate, score distribution, and the questions flagged."""

    template_name = "quizzes/admin/quiz_statistics.html"
    header_icon = "tasks"

    @cached_property
    def quiz(self):
        return get_object_or_404(Quiz, pk=self.kwargs["quiz_id"])

    def get_page_title(self):
        return gettext("Results of %(quiz)s") % {"quiz": self.quiz.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{URL_NAMESPACE}:quizzes"), "label": _("Quiz results")},
            {"url": "", "label": self.quiz.title},
        ]

    @cached_property
    def questions_url(self):
        return f"{reverse(f'{URL_NAMESPACE}:questions')}?quiz={self.quiz.pk}"

    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("Question analysis"), url=self.questions_url, icon_name="help")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stats = analytics.quiz_statistics(self.quiz)
        items = analytics.item_statistics(quiz=self.quiz)
        context.update(
            quiz=self.quiz,
            stats=stats,
            summary=[
                (_("Final attempts"), stats.attempts),
                (_("Learners"), stats.learners),
                (_("Passed attempts"), stats.passed),
                (_("Pass rate"), _percent(stats.pass_rate)),
                (_("Learners who passed"), stats.learners_passed),
                (_("Mean score (%)"), _fixed(stats.mean_score, 1)),
                (_("Median score (%)"), _fixed(stats.median_score, 1)),
                (_("Pass mark (%)"), self.quiz.pass_mark),
            ],
            chart=score_chart(stats.bands),
            flagged=[item for item in items if item.flags],
            questions_analysed=len(items),
            questions_url=self.questions_url,
            min_attempts=analytics.MIN_ATTEMPTS,
        )
        return context


# --- Questions -----------------------------------------------------------------------------

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
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=Question.TYPE_CHOICES,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Attempt
        fields = []


def _choices_summary(choices):
    return "; ".join(
        f"{'✓ ' if c.correct else ''}{c.text}: {c.picks} ({_percent(c.proportion)})"
        for c in choices
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
        "flags",
    ]
    export_headings = {
        "question_id": _("Question ID"),
        "stem": _("Question"),
        "type": _("Type"),
        "category": _("Category"),
        "points": _("Points"),
        "presented": _("Presented"),
        "answered": _("Answered"),
        "p": _("p (proportion correct)"),
        "r_pb": _("r_pb (point-biserial)"),
        "d_index": _("D (upper/lower 27%)"),
        "choices": _("Choices picked"),
        "flags": _("Flags"),
    }
    sortable = ["presented", "answered", "p", "r_pb", "d_index"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        types = dict(Question.TYPE_CHOICES)
        summary = {
            "choices": _choices_summary,
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
            Column("type", label=_("Type"), accessor=lambda item: types.get(item.type, item.type)),
            Column("category", label=_("Category")),
            Column("presented", label=_("Presented"), sort_key="presented"),
            Column("answered", label=_("Answered"), sort_key="answered"),
            Column("p", label="p", sort_key="p", accessor=lambda item: _fixed(item.p)),
            Column("r_pb", label="r_pb", sort_key="r_pb", accessor=lambda item: _fixed(item.r_pb)),
            Column("d_index", label="D", sort_key="d_index", accessor=lambda i: _fixed(i.d_index)),
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
