"""The JSON bodies of the quizzes API, built from what the services return: the endpoints
only fetch and call ``quizzes.services``; the shapes are checked against ``schemas``."""

from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from .. import services
from ..services.classify import dimension_groups, is_classify
from ..services.review import result_notes
from .schemas import CODE_FIELDS

FIGURE_FILTER = "width-720|format-webp"


def _iso(value):
    return value.isoformat() if value else None


def _number(value):
    return float(value) if value is not None else None


def _figure_urls(entries):
    ids = {entry["figure_id"] for entry in entries if entry.get("figure_id")}
    if not ids:
        return {}
    urls = {}
    for pk, image in get_image_model().objects.in_bulk(ids).items():
        try:
            urls[pk] = image.get_rendition(FIGURE_FILTER).url
        except SourceImageIOError:
            urls[pk] = None
    return urls


def saved_answer(answer):
    """``SavedAnswer``: my answer as saved, or ``None`` when I have not answered."""
    if answer is None:
        return None
    return {"choices": answer.choice_ids, "text": answer.text, "locked": answer.locked}


def _questions(attempt, answers, figures):
    questions = []
    for number, entry in enumerate(services.public_questions(attempt), start=1):
        answer = answers.get(entry["id"])
        questions.append(
            {
                "id": entry["id"],
                "number": number,
                "type": entry["type"],
                "stem": entry["stem"],
                "points": float(entry["points"]),
                "figure_url": figures.get(entry["figure_id"]),
                "choices": entry["choices"],
                "answer": saved_answer(answer),
                "feedback": services.answer_feedback(attempt, answer) if answer else None,
            }
        )
    return questions


def _review(attempt, figures):
    review = services.review_for(attempt)
    if review is None:
        return None
    return [
        {
            **item,
            "number": number,
            "figure_url": figures.get(item["figure_id"]),
            "points": float(item["points"]),
            "earned": float(item["earned"]),
            "choices": [
                {
                    "id": c["id"],
                    "text": c["text"],
                    "correct": c["correct"],
                    "feedback": c.get("feedback") or "",
                    **{name: c[name] for name in CODE_FIELDS if name in c},
                }
                for c in item["choices"]
            ],
            "dimensions": _dimensions(item) if is_classify(item) else None,
        }
        for number, item in enumerate(review, start=1)
    ]


def _dimensions(item):
    """``DimensionResult`` of each dimension of a classification question's review ``item``."""
    return [
        {
            "dimension": group["dimension"],
            "chosen": group["picked"]["id"] if group["picked"] else None,
            "correct_choice": group["key"]["id"] if group["key"] else None,
            "correct_code": group["key"]["code"] if group["key"] else None,
            "right": group["right"],
        }
        for group in dimension_groups(item["choices"], item["chosen"], reveal=True)
    ]


def attempt_payload(user, attempt):
    """``AttemptOut``: the attempt's state, and once final its result and the review the
    quiz's policy allows."""
    quiz = attempt.quiz
    answers = {a.question_id: a for a in attempt.answers.all()}
    figures = _figure_urls(attempt.questions)
    seconds_left = None
    if attempt.is_open and attempt.deadline:
        seconds_left = max(int((attempt.deadline - timezone.now()).total_seconds()), 0)
    result_text = ""
    if attempt.is_final:
        result_text = quiz.success_text if attempt.passed else quiz.fail_text
    return {
        "id": attempt.pk,
        "quiz_id": quiz.pk,
        "quiz_title": quiz.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": _iso(attempt.started_at),
        "deadline": _iso(attempt.deadline),
        "seconds_left": seconds_left,
        "submitted_at": _iso(attempt.submitted_at),
        "timed_out": attempt.timed_out,
        "question_count": len(attempt.questions),
        "answered_count": sum(1 for a in answers.values() if a.choice_ids or a.text),
        "questions": _questions(attempt, answers, figures),
        "points": _number(attempt.points) if attempt.is_final else None,
        "max_points": float(attempt.max_points),
        "score": _number(attempt.score) if attempt.is_final else None,
        "passed": attempt.passed if attempt.is_final else None,
        "result_text": result_text,
        "review": _review(attempt, figures),
        "attempts_left": services.attempts_left(user, quiz),
        "accepts_answers_until": _iso(attempt.deadline + services.grace())
        if attempt.deadline
        else None,
        "focus_losses": attempt.focus_losses,
        "focus_submitted": attempt.focus_submitted,
        "notes": [
            {"text": str(note.text), "url": note.url, "done": note.done}
            for note in result_notes(user, attempt)
        ],
    }


def quiz_payload(user, quiz, attempts, open_attempt):
    """``QuizOut``: the quiz's rules (for me: overrides included) and ``attempts``, my
    attempts of it."""
    rules = services.rules_for(user, quiz)
    return {
        "id": quiz.pk,
        "title": quiz.title,
        "description": quiz.description,
        "pass_mark": quiz.pass_mark,
        "max_attempts": rules.max_attempts or None,
        "time_limit_minutes": rules.time_limit_minutes,
        "feedback_mode": quiz.feedback_mode,
        "review_policy": quiz.review_policy,
        "one_per_screen": quiz.one_per_screen,
        "attempts_left": services.attempts_left(user, quiz, rules),
        "open_attempt_id": open_attempt.pk if open_attempt else None,
        "confirmation_required": services.needs_confirmation(quiz, rules),
        "opens_at": _iso(rules.opens_at),
        "closes_at": _iso(rules.closes_at),
        "open_now": services.is_open_now(rules),
        "focus_loss_limit": quiz.focus_loss_limit,
        "exempt": rules.exempt,
        "exemption_reason": rules.exemption_reason,
        "attempts": [
            {
                "id": a.pk,
                "number": a.number,
                "status": a.status,
                "started_at": _iso(a.started_at),
                "score": _number(a.score) if a.is_final else None,
                "passed": a.passed if a.is_final else None,
            }
            for a in attempts
        ],
    }
