"""Learner pages of a quiz: rules and my attempts, taking an attempt, the result and review.

Thin: every rule is in ``quizzes.services``; these views only translate to HTTP.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.images import get_image_model

from .. import services
from ..conf import app_settings
from ..exceptions import ConfirmationRequired, InvalidAnswer, QuizError, TimeUp
from ..models import Attempt, Quiz
from ..services.classify import dimension_groups, is_classify
from ..services.review import result_notes


def _mistakes_url():
    try:
        return reverse(app_settings.LMS_QUIZZES_MISTAKES_URL_NAME)
    except NoReverseMatch:
        return ""


def _render(request, template, context, status=200):
    context.setdefault("base_template", app_settings.LMS_QUIZZES_BASE_TEMPLATE)
    context.setdefault("mistakes_url", _mistakes_url())
    return TemplateResponse(request, template, context, status=status)


def _return_to(request):
    """A safe same-site URL to go back to (e.g. the course step), from ?next= or the form."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _own_attempt(request, attempt_id):
    try:
        return services.get_attempt_for_user(request.user, attempt_id)
    except Attempt.DoesNotExist as error:
        raise Http404 from error


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@never_cache
@login_required
def quiz_list(request):
    """Standalone tests open to every learner (e.g. the annual knowledge test), with my best
    result for each (two queries)."""
    quizzes = list(Quiz.objects.available().filter(listed=True).order_by("title"))
    best = {}
    for attempt in Attempt.objects.filter(
        user=request.user, quiz__in=quizzes, status=Attempt.FINAL
    ).only("quiz_id", "score", "passed"):
        if attempt.quiz_id not in best or attempt.score > best[attempt.quiz_id].score:
            best[attempt.quiz_id] = attempt
    items = [{"quiz": quiz, "best": best.get(quiz.pk)} for quiz in quizzes]
    return _render(request, "quizzes/quiz_list.html", {"items": items})


@never_cache
@login_required
def progress(request):
    """My results per question category, over all my final attempts."""
    rows = services.category_progress(request.user)
    return _render(request, "quizzes/progress.html", {"rows": rows})


@never_cache
@login_required
def quiz_detail(request, quiz_id, error=None, status=200):
    quiz = get_object_or_404(Quiz.objects.available(), pk=quiz_id)
    attempts = list(Attempt.objects.filter(quiz=quiz, user=request.user).order_by("number"))
    open_attempt = next((a for a in attempts if a.is_open), None)
    if open_attempt and services.finalize_if_expired(open_attempt):
        open_attempt = None
    rules = services.rules_for(request.user, quiz)
    context = {
        "quiz": quiz,
        "attempts": attempts,
        "open_attempt": open_attempt,
        "attempts_left": services.attempts_left(request.user, quiz, rules),
        "open_now": services.is_open_now(rules),
        "error": error,
        "next": _return_to(request),
    }
    return _render(request, "quizzes/quiz_detail.html", context, status=status)


@never_cache
@login_required
@require_POST
def start(request, quiz_id):
    """Start (or resume) an attempt. A one-attempt or timed quiz first shows its rules on a
    confirmation page, whose button posts here again with ``confirm``."""
    quiz = get_object_or_404(Quiz.objects.available(), pk=quiz_id)
    confirmed = request.POST.get("confirm") == "1"
    try:
        attempt, _created = services.start_attempt(request.user, quiz, confirmed=confirmed)
    except ConfirmationRequired:
        return _confirm(request, quiz)
    except QuizError as error:
        return quiz_detail(request, quiz_id, error=error.message, status=error.status)
    return redirect(_attempt_url(attempt.pk, request))


def _confirm(request, quiz):
    rules = services.rules_for(request.user, quiz)
    context = {
        "quiz": quiz,
        "rules": rules,
        "attempts_left": services.attempts_left(request.user, quiz, rules),
        "window": services.window_text(rules),
        "next": _return_to(request),
    }
    return _render(request, "quizzes/start_confirm.html", context)


@never_cache
@login_required
def attempt(request, attempt_id):
    current = _own_attempt(request, attempt_id)
    if current.is_open:
        return _take(request, current)
    return _result(request, current)


def _figures(entries):
    ids = {entry["figure_id"] for entry in entries if entry.get("figure_id")}
    return get_image_model().objects.in_bulk(ids) if ids else {}


def _take(request, current):
    questions = services.public_questions(current)
    answers = {a.question_id: a for a in current.answers.all()}
    figures = _figures(questions)
    for number, question in enumerate(questions, start=1):
        question["number"] = number
        question["figure"] = figures.get(question["figure_id"])
        saved = answers.get(question["id"])
        question["saved_choices"] = saved.choice_ids if saved else []
        question["saved_text"] = saved.text if saved else ""
        question["feedback"] = services.answer_feedback(current, saved) if saved else None
        question["locked"] = bool(saved and saved.locked)
        if is_classify(question):
            question["dimensions"] = dimension_groups(
                question["choices"], question["saved_choices"]
            )
    if current.quiz.one_per_screen:
        try:
            index = min(max(int(request.GET.get("q", "1")), 1), len(questions)) - 1
        except ValueError:
            index = 0
        shown = questions[index : index + 1]
    else:
        index, shown = 0, questions
    context = {
        "quiz": current.quiz,
        "attempt": current,
        "questions": questions,
        "shown": shown,
        "index": index,
        "answered": sum(1 for q in questions if q["saved_choices"] or q["saved_text"]),
        "time_up": services.past_deadline(current),
        "grace_seconds": int(services.grace().total_seconds()),
        "next": _return_to(request),
    }
    return _render(request, "quizzes/attempt_take.html", context)


def _result(request, current):
    review = services.review_for(current)
    if review:
        figures = _figures(review)
        for number, item in enumerate(review, start=1):
            item["number"] = number
            item["figure"] = figures.get(item["figure_id"])
            if is_classify(item):
                item["dimensions"] = dimension_groups(item["choices"], item["chosen"], reveal=True)
    context = {
        "quiz": current.quiz,
        "attempt": current,
        "review": review,
        "attempts_left": services.attempts_left(request.user, current.quiz),
        "notes": result_notes(request.user, current),
        "next": _return_to(request),
    }
    return _render(request, "quizzes/attempt_result.html", context)


def _attempt_url(attempt_id, request, question_number=None):
    params = {}
    if question_number:
        params["q"] = question_number
    back = _return_to(request)
    if back:
        params["next"] = back
    url = reverse("quizzes:attempt", args=[attempt_id])
    return f"{url}?{urlencode(params)}" if params else url


def _number(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@never_cache
@login_required
@require_POST
def answer(request, attempt_id):
    """Save one answer (the JS posts each change with Accept: application/json; without JS the
    form posts on "next"/"previous"/"submit" and is redirected)."""
    current = _own_attempt(request, attempt_id)
    question_id = _number(request.POST.get("question_id"))
    # A classification question's select left at "—" posts an empty value: no pick.
    choices = [_number(value) for value in request.POST.getlist("choice") if value != ""]
    try:
        if question_id is None or None in choices:
            raise InvalidAnswer
        saved = services.save_answer(
            current, question_id, choice_ids=choices, text=request.POST.get("text", "")
        )
    except QuizError as error:
        if _wants_json(request):
            final = isinstance(error, TimeUp)
            return JsonResponse({"error": str(error.message), "final": final}, status=error.status)
        messages.error(request, error.message)
        return redirect(_attempt_url(current.pk, request, _number(request.POST.get("current"))))
    if _wants_json(request):
        return JsonResponse(
            {
                "saved": True,
                "feedback": services.answer_feedback(current, saved),
                "answered": services.answered_count(current),
            }
        )
    if request.POST.get("then_submit"):
        return submit(request, attempt_id)
    return redirect(_attempt_url(current.pk, request, _number(request.POST.get("goto"))))


@never_cache
@login_required
@require_POST
def event(request, attempt_id):
    """The page reports that the learner left it (``kind``: hidden / blur): JSON only."""
    current = _own_attempt(request, attempt_id)
    try:
        current = services.record_focus_loss(current, request.POST.get("kind", ""))
    except QuizError as error:
        return JsonResponse({"error": str(error.message)}, status=error.status)
    return JsonResponse(
        {
            "focus_losses": current.focus_losses,
            "status": current.status,
            "focus_submitted": current.focus_submitted,
        }
    )


@never_cache
@login_required
@require_POST
def submit(request, attempt_id):
    current = _own_attempt(request, attempt_id)
    key = request.POST.get("submit_key", "")
    services.submit_attempt(current, key=key)
    return redirect(_attempt_url(current.pk, request))
