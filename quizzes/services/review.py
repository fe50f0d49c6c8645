"""What the learner may see of a paper. Correct answers leave the server only through
``review_for`` (once the attempt is final, as the quiz's review policy allows) or
``answer_feedback`` (practice quizzes with feedback after each question, where the answer is
then locked); while answering, ``public_questions`` gives ids and texts only.

``result_notes`` adds what other apps know about a final attempt: an app registers a function
``fn(user, attempt) -> [ResultNote]`` under the Wagtail hook ``attempt_result_notes`` (the
courses app says what the attempt did to the courses the quiz is a step of), so quizzes needs to
know nothing of them."""

from dataclasses import dataclass

from wagtail import hooks

from ..models import Attempt, Quiz


@dataclass
class ResultNote:
    """A line under an attempt's result: ``text``, and a link (``url``, ``label``) to go on."""

    text: str
    url: str = ""
    label: str = ""
    done: bool = False


def result_notes(user, attempt):
    """The notes the ``attempt_result_notes`` hooks give for ``user``'s final ``attempt``."""
    if not attempt.is_final:
        return []
    return [note for fn in hooks.get_hooks("attempt_result_notes") for note in fn(user, attempt)]


def public_questions(attempt):
    """The paper as the learner sees it while answering: ids and texts only."""
    return [
        {
            "id": entry["id"],
            "type": entry["type"],
            "stem": entry["stem"],
            "figure_id": entry["figure_id"],
            "points": entry["points"],
            "choices": [{"id": c["id"], "text": c["text"]} for c in entry["choices"]],
        }
        for entry in attempt.questions
    ]


def answer_feedback(attempt, answer):
    """Feedback on one locked answer of a practice quiz (feedback after each question)."""
    if not answer.locked or attempt.quiz.feedback_mode != Quiz.FEEDBACK_IMMEDIATE:
        return None
    entry = attempt.question(answer.question_id)
    return {
        "correct": answer.is_correct,
        "correct_choice_ids": [c["id"] for c in entry["choices"] if c["correct"]],
        "feedback": [
            c["feedback"]
            for c in entry["choices"]
            if c["id"] in answer.choice_ids and c["feedback"]
        ],
        "explanation": entry["explanation"],
    }


def review_for(attempt):
    """The review of a final attempt as the quiz's review policy allows, else ``None``."""
    if attempt.status != Attempt.FINAL:
        return None
    policy = attempt.quiz.review_policy
    if policy == Quiz.REVIEW_NEVER or (policy == Quiz.REVIEW_AFTER_PASS and not attempt.passed):
        return None
    answers = {a.question_id: a for a in attempt.answers.all()}
    review = []
    for entry in attempt.questions:
        answer = answers.get(entry["id"])
        review.append(
            {
                "id": entry["id"],
                "type": entry["type"],
                "stem": entry["stem"],
                "figure_id": entry["figure_id"],
                "points": entry["points"],
                "earned": str(answer.points) if answer and answer.points is not None else "0",
                "correct": bool(answer and answer.is_correct),
                "chosen": answer.choice_ids if answer else [],
                "text": answer.text if answer else "",
                "marker_comment": answer.marker_comment if answer else "",
                "explanation": entry["explanation"],
                "choices": entry["choices"],
            }
        )
    return review
