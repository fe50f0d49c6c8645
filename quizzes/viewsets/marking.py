"""The admin marking queue for written answers, ``/admin/marking/``. Marking is blind: the marker
sees the question, the answer and the attempt number, not who wrote it. Open to users with
``lms_quizzes.mark_answer`` (trainers); the mark itself is ``quizzes.services.mark_answer``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

import quizzes.converters  # noqa: F401  (registers the <dbid:…> path converter)

from .. import services
from ..exceptions import QuizError
from ..forms import MarkAnswerForm
from ..models import Answer, Attempt, Question

PERMISSION = "lms_quizzes.mark_answer"


def can_mark(user):
    return user.has_perm(PERMISSION)


def _require(request):
    if not can_mark(request.user):
        raise PermissionDenied


def _pending_answers():
    """Written answers still to mark, oldest submission first (three queries in all)."""
    attempts = list(
        Attempt.objects.filter(status=Attempt.AWAITING_MARKING)
        .select_related("quiz")
        .order_by("submitted_at")
    )
    essays = {
        attempt.pk: {q["id"]: q for q in attempt.questions if q["type"] == Question.ESSAY}
        for attempt in attempts
    }
    answers = Answer.objects.filter(attempt__in=attempts, marked_at__isnull=True).exclude(text="")
    by_attempt = {attempt.pk: attempt for attempt in attempts}
    items = []
    for answer in answers.order_by("attempt__submitted_at", "pk"):
        entry = essays[answer.attempt_id].get(answer.question_id)
        if entry is not None:
            items.append(
                {"answer": answer, "attempt": by_attempt[answer.attempt_id], "question": entry}
            )
    return items


def queue(request):
    _require(request)
    items = _pending_answers()
    for item in items:
        item["form"] = MarkAnswerForm(prefix=f"a{item['answer'].pk}")
    return TemplateResponse(
        request,
        "quizzes/admin/marking_queue.html",
        {"items": items, "header_title": _("Marking queue"), "page_title": _("Marking queue")},
    )


def mark(request, answer_id):
    _require(request)
    if request.method != "POST":
        return redirect("lms_quizzes_marking:queue")
    answer = get_object_or_404(Answer, pk=answer_id)
    form = MarkAnswerForm(request.POST, prefix=f"a{answer.pk}")
    if not form.is_valid():
        messages.error(request, _("Enter the points as a number from 0."))
        return redirect("lms_quizzes_marking:queue")
    try:
        services.mark_answer(
            answer, form.cleaned_data["points"], form.cleaned_data["comment"], request.user
        )
    except QuizError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked."))
    return redirect("lms_quizzes_marking:queue")


class MarkingMenuItem(MenuItem):
    def is_shown(self, request):
        return can_mark(request.user)


class MarkingViewSet(ViewSet):
    """The queue and the marking of one answer, under ``/admin/marking/``."""

    name = "lms_quizzes_marking"
    url_prefix = "marking"
    icon = "edit"
    menu_label = gettext_lazy("Marking queue")
    menu_order = 260
    add_to_admin_menu = True
    menu_item_class = MarkingMenuItem

    def get_urlpatterns(self):
        return [
            path("", queue, name="queue"),
            path("<dbid:answer_id>/", mark, name="mark"),
        ]
