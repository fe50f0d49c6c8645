"""The question bank and quizzes as snippets, under one "Question bank" menu group. Questions
and quizzes have revisions and go through the approval workflow (``lms.services.roles`` assigns
the officer's): a trainer saves drafts and submits them; the live version stays what learners
get until the officer approves."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import StatusFlagColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..forms import QuestionForm
from ..models import Question, QuestionCategory, Quiz
from .choosers import PermissionCheckedChooserViewSet
from .classification import ClassificationCodeFilter, ClassificationCodeViewSet, codes_column


class QuestionCategoryViewSet(SnippetViewSet):
    chooser_viewset_class = PermissionCheckedChooserViewSet
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["full_name"]
    search_fields = ["full_name"]
    panels = [FieldPanel("name"), FieldPanel("parent")]


class QuestionFilterSet(WagtailFilterSet):
    classification_code = ClassificationCodeFilter(field_name="classification_codes")

    class Meta:
        model = Question
        fields = ["type", "status", "difficulty", "category"]


class QuestionViewSet(SnippetViewSet):
    chooser_viewset_class = PermissionCheckedChooserViewSet
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["__str__", "type", "category", "difficulty", "status", codes_column()]
    filterset_class = QuestionFilterSet
    search_fields = ["stem"]
    list_per_page = 50
    panels = [
        FieldRowPanel([FieldPanel("type"), FieldPanel("category")]),
        FieldPanel("stem"),
        FieldPanel("figure"),
        InlinePanel("choices", label=_("Choices"), min_num=0, max_num=6),
        FieldPanel("explanation"),
        FieldRowPanel([FieldPanel("difficulty"), FieldPanel("points"), FieldPanel("status")]),
        FieldPanel("partial_credit"),
        MultiFieldPanel(
            [FieldPanel("key_channel"), FieldPanel("key_business"), FieldPanel("key_reason")],
            heading=_("Classification key"),
            help_text=_(
                "Complaint classification only: the complaint case is the question; the learner "
                "picks one code per dimension, each worth a third of the points (the exact code "
                "only)."
            ),
        ),
        FieldPanel("tags"),
        FieldPanel("classification_codes"),
    ]

    def get_queryset(self, request):
        return Question.objects.select_related("category").prefetch_related("classification_codes")

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type(form_class.__name__, (QuestionForm, form_class), {})


class QuizViewSet(SnippetViewSet):
    chooser_viewset_class = PermissionCheckedChooserViewSet
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    list_display = [
        "title",
        "pass_mark",
        "max_attempts",
        "time_limit_minutes",
        StatusFlagColumn(
            "is_draft",
            label=_("Status"),
            sort_key="is_draft",
            true_label=_("Draft"),
            false_label=_("Ready"),
        ),
        StatusFlagColumn(
            "listed",
            label=Quiz._meta.get_field("listed").verbose_name,
            sort_key="listed",
            true_label=_("Yes"),
            false_label=_("No"),
        ),
    ]
    list_filter = ["is_draft", "listed"]
    search_fields = ["title"]
    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("is_draft"), FieldPanel("listed")]),
        InlinePanel("fixed_questions", label=_("Fixed questions")),
        InlinePanel("draw_rules", label=_("Random-draw rules")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("max_questions"),
                FieldRowPanel(
                    [
                        FieldPanel("pass_mark"),
                        FieldPanel("max_attempts"),
                        FieldPanel("time_limit_minutes"),
                    ]
                ),
                FieldRowPanel([FieldPanel("feedback_mode"), FieldPanel("review_policy")]),
                FieldPanel("one_per_screen"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("focus_loss_limit"),
            ],
            heading=_("Exam window and integrity"),
        ),
        MultiFieldPanel(
            [FieldPanel("success_text"), FieldPanel("fail_text")], heading=_("Result texts")
        ),
    ]


class QuizzesGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet, QuizViewSet, ClassificationCodeViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    menu_order = 250
