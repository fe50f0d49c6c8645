"""The quiz results report (every quiz with its attempts, pass rate and mean score) and one
quiz's statistics page (score distribution, questions flagged). The numbers come from
``quizzes.services.analytics``; these views only filter, order, page, export and draw them."""

from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton

from ...models import Attempt, Quiz
from ...services import analytics
from .base import URL_NAMESPACE, AnalyticsPermissionMixin, fixed, percent

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
            Column("pass_rate", label=_("Pass rate"), accessor=lambda q: percent(_pass_rate(q))),
            Column(
                "mean_score",
                label=_("Mean score"),
                sort_key="mean_score",
                accessor=lambda q: fixed(q.mean_score, 1),
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
                "share": percent(band.proportion),
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
                (_("Pass rate"), percent(stats.pass_rate)),
                (_("Learners who passed"), stats.learners_passed),
                (_("Mean score (%)"), fixed(stats.mean_score, 1)),
                (_("Median score (%)"), fixed(stats.median_score, 1)),
                (_("Pass mark (%)"), self.quiz.pass_mark),
            ],
            chart=score_chart(stats.bands),
            flagged=[item for item in items if item.flags],
            questions_analysed=len(items),
            questions_url=self.questions_url,
            min_attempts=analytics.MIN_ATTEMPTS,
            focus_attempts=Attempt.objects.filter(quiz=self.quiz, focus_losses__gt=0)
            .select_related("user")
            .order_by("-focus_losses", "-started_at")[:200],
        )
        return context
