"""What the learner may see of a paper. Correct answers leave the server only through
``review_for`` (once the attempt is final, as the quiz's review policy allows: ``review_allowed``)
or
``answer_feedback`` (practice quizzes with feedback after each question, where the answer is
then locked); while answering, ``public_questions`` gives ids and texts only.

``result_notes`` adds what other apps know about a final attempt: an app registers a function
``fn(user, attempt) -> [ResultNote]`` under the Wagtail hook ``attempt_result_notes`` (the
courses app says what the attempt did to the courses the quiz is a step of), so quizzes needs to
know nothing of them."""

from dataclasses import dataclass

from wagtail import hooks

from ..models import Attempt, Quiz
from .attempts import attempts_left
from .overrides import is_open_now, rules_for


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


def public_choice(choice):
    """A snapshot choice without its key and feedback (a classification code keeps where it is
    in the tree: its dimension, code and depth)."""
    public = {"id": choice["id"], "text": choice["text"]}
    for name in PUBLIC_CODE_FIELDS:
        if name in choice:
            public[name] = choice[name]
    return public


PUBLIC_CODE_FIELDS = ("dimension", "code", "depth")


def public_questions(attempt):
    """The paper as the learner sees it while answering: ids and texts only."""
    return [
        {
            "id": entry["id"],
            "type": entry["type"],
            "stem": entry["stem"],
            "figure_id": entry["figure_id"],
            "points": entry["points"],
            "choices": [public_choice(c) for c in entry["choices"]],
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


def can_try_again(user, quiz):
    """True while ``user`` could still start an attempt of ``quiz``: attempts are left and its
    window (for them) has not closed."""
    rules = rules_for(user, quiz)
    return attempts_left(user, quiz, rules) != 0 and is_open_now(rules)


def review_allowed(attempt):
    """May the learner see the correct answers of this attempt? Only once it is final, and then
    as the quiz's policy says. "When done" (the default): once they have passed, or can make
    no further attempt — never after a fail with attempts left, so copying the review cannot
    pass the retake."""
    if attempt.status != Attempt.FINAL:
        return False
    policy = attempt.quiz.review_policy
    if policy == Quiz.REVIEW_ALWAYS:
        return True
    if policy == Quiz.REVIEW_AFTER_PASS:
        return bool(attempt.passed)
    if policy == Quiz.REVIEW_WHEN_DONE:
        return bool(attempt.passed) or not can_try_again(attempt.user_id, attempt.quiz)
    return False


def review_for(attempt):
    """The review of a final attempt as the quiz's review policy allows, else ``None``."""
    if not review_allowed(attempt):
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
