"""The mistake book (错题本): the choice questions a learner got wrong, by category (not
written answers nor classification questions).

A question is in the book when the learner's latest answer to it — in a final attempt, or in a
finished practice round after it — was wrong (or missing). It shows the question as their paper
had it, their answer, the correct one and the explanation; but only once a review of one of
their attempts that had the question may be shown (``review_allowed``). Until then it is only
counted as held back: being told which true/false question was wrong is being told its answer.
Reading only: nothing here writes."""

from dataclasses import dataclass, field

from ..models import Answer, Attempt, PracticeRound, Question
from .review import review_allowed

# Written answers are marked by hand; classification questions are practised in their drill
# (their three selects do not fit the book's choice lists).
SKIPPED_TYPES = (Question.ESSAY, Question.CLASSIFY)


@dataclass
class Mistake:
    """One wrong answer: the snapshot ``entry`` of the question, what was ``chosen`` and when
    (``at``), the ``quiz`` it was last answered in, and whether it may be ``revealed``."""

    entry: dict
    chosen: list
    at: object
    quiz: str
    correct: bool = False
    revealed: bool = False

    @property
    def question_id(self):
        return self.entry["id"]

    @property
    def category(self):
        return self.entry["category"]


@dataclass
class MistakeBook:
    """The book: ``categories`` as ``[(category, [Mistake, …])]`` and ``held_back`` (how many
    wrong answers wait for a review to open), for ``category`` (all when empty)."""

    categories: list = field(default_factory=list)
    held_back: int = 0
    category: str = ""

    @property
    def items(self):
        return [item for _name, items in self.categories for item in items]


def _in_category(entry, category):
    name = entry.get("category", "")
    return not category or name == category or name.startswith(category + "/")


def _latest_answers(user, category):
    attempts = list(
        Attempt.objects.filter(user=user, status=Attempt.FINAL)
        .select_related("quiz")
        .order_by("finalized_at", "pk")
    )
    answers = {
        (a.attempt_id, a.question_id): a
        for a in Answer.objects.filter(attempt__in=attempts).only(
            "attempt_id", "question_id", "choice_ids", "is_correct"
        )
    }
    latest, reviewed, allowed = {}, set(), {}
    for attempt in attempts:
        # For one learner it depends only on the quiz and whether this attempt passed.
        key = (attempt.quiz_id, bool(attempt.passed))
        if key not in allowed:
            allowed[key] = review_allowed(attempt)
        for entry in attempt.questions:
            if entry["type"] in SKIPPED_TYPES or not _in_category(entry, category):
                continue
            answer = answers.get((attempt.pk, entry["id"]))
            if allowed[key]:
                reviewed.add(entry["id"])
            latest[entry["id"]] = Mistake(
                entry=entry,
                chosen=answer.choice_ids if answer else [],
                at=attempt.finalized_at,
                quiz=attempt.quiz.title,
                correct=bool(answer and answer.is_correct),
            )
    rounds = PracticeRound.objects.filter(user=user, finished_at__isnull=False)
    for practice in rounds.order_by("finished_at", "pk"):
        for key, given in practice.answers.items():
            item = latest.get(int(key))
            if item is not None and practice.finished_at > item.at:
                item.chosen, item.correct = given["choices"], given["correct"]
                item.at = practice.finished_at
    return latest, reviewed


def mistake_book(user, category=""):
    """``user``'s mistake book, optionally for one ``category`` (a full path; its
    sub-categories included). A few queries, plus a couple per quiz whose review waits for the
    learner to be done."""
    latest, reviewed = _latest_answers(user, category)
    grouped, held_back = {}, 0
    for item in latest.values():
        if item.correct:
            continue
        if item.entry["id"] not in reviewed:
            held_back += 1
            continue
        item.revealed = True
        grouped.setdefault(item.category, []).append(item)
    categories = [
        (name, sorted(items, key=lambda m: m.at, reverse=True))
        for name, items in sorted(grouped.items())
    ]
    return MistakeBook(categories=categories, held_back=held_back, category=category)
