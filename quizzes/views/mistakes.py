"""The learner's mistake book (错题本) and its practice rounds, as pages. The host mounts
``quizzes.mistake_urls`` where it likes (CP-LMS: ``learn/mistakes/`` in the ``lms`` namespace);
links between these pages are reversed in whatever namespace they were reached through.

Thin: the book is ``quizzes.services.mistake_book``; practice is ``start_practice`` /
``submit_practice``. Nothing here writes an attempt or a completion."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import services
from ..exceptions import QuizError
from ..models import PracticeRound
from .learner import _figures, _render


def _url(request, name, *args):
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    return reverse(f"{namespace}:{name}" if namespace else name, args=args)


def _category(request):
    return (request.POST.get("category") or request.GET.get("category") or "")[:255]


@never_cache
@login_required
def mistakes(request, error=None, status=200):
    """My mistake book, by category, with a practice button for all or one category."""
    book = services.mistake_book(request.user, _category(request))
    context = {
        "book": book,
        "error": error,
        "practice_url": _url(request, "mistakes_practice"),
        "book_url": _url(request, "mistakes"),
    }
    return _render(request, "quizzes/mistakes.html", context, status=status)


@never_cache
@login_required
@require_POST
def practice_start(request):
    try:
        practice = services.start_practice(request.user, _category(request))
    except QuizError as error:
        return mistakes(request, error=error.message, status=error.status)
    return redirect(_url(request, "practice_round", practice.pk))


def _choices(request, practice):
    answers = {}
    for entry in practice.questions:
        picked = []
        for value in request.POST.getlist(f"q{entry['id']}"):
            try:
                picked.append(int(value))
            except ValueError:
                continue
        if picked:
            answers[entry["id"]] = picked
    return answers


@never_cache
@login_required
def practice_round(request, practice_id):
    """A practice round: the questions (GET), marking them (POST), then the review."""
    practice = get_object_or_404(PracticeRound, pk=practice_id, user=request.user)
    error, status = None, 200
    if request.method == "POST" and not practice.is_finished:
        try:
            practice = services.submit_practice(practice, _choices(request, practice))
        except QuizError as failure:
            error, status = failure.message, failure.status
        else:
            return redirect(_url(request, "practice_round", practice.pk))
    review = services.practice_review(practice)
    questions = review if review is not None else services.practice_questions(practice)
    figures = _figures(questions)
    for number, item in enumerate(questions, start=1):
        item["number"] = number
        item["figure"] = figures.get(item.get("figure_id"))
    book_url = _url(request, "mistakes")
    if practice.category:
        book_url = f"{book_url}?{urlencode({'category': practice.category})}"
    context = {
        "practice": practice,
        "questions": questions,
        "review": review,
        "error": error,
        "book_url": book_url,
        "practice_url": _url(request, "mistakes_practice"),
    }
    return _render(request, "quizzes/practice.html", context, status=status)
