"""Item analysis and quiz statistics, computed from final attempts only.

Everything here reads; nothing writes. Questions are analysed from the attempts' snapshots, so
the numbers describe what learners were actually shown, even after the bank was edited.

Definitions (classical test theory), per question and over the final attempts that presented it:

* **item score** ``x``: 1 when the answer was correct, else 0 (an unanswered question has no
  ``Answer`` row and counts as 0, not as a pick). For a written (essay) question ``x`` is the
  points awarded divided by the question's points, between 0 and 1; so too for a classification
  question (a third per dimension right). Its item analysis is per dimension as well: the share
  of the attempts that picked the key's code, and the most frequent wrong code
  (``DimensionStatistics``).
* **p** (difficulty, "proportion correct"): the mean of ``x``.
* **r_pb** (point-biserial discrimination, corrected item-total): the Pearson correlation
  between ``x`` and the attempt's *rest score*, the percentage of the other questions' points
  the learner earned, ``(attempt points - item points) / (max points - item max points)``.
  Leaving the item out of the total stops it correlating with itself, which matters in short
  quizzes. With a 0/1 ``x`` the Pearson formula is the point-biserial
  ``(M1 - M0) / s * sqrt(p * q)``; for an essay ``x`` it is the item-rest correlation.
* **D** (upper/lower discrimination index, Kelley): sort the attempts by total score, take
  the top and bottom ``GROUP_FRACTION`` (27 %) of them, at least one each, rounded half up;
  ``D = mean(x) in the upper group - mean(x) in the lower group``. Ties on the group
  boundary are broken by attempt id, so the result is deterministic.
* **flags**: see the thresholds below. With fewer than ``MIN_ATTEMPTS`` attempts presenting a
  question, ``r_pb`` and ``D`` are ``None`` and no flag is raised: a handful of attempts says
  nothing reliable about a question. ``r_pb`` is also ``None`` when ``x`` or the rest score
  does not vary (everybody right, or everybody with the same rest score).

Cost: a constant number of queries whatever the number of attempts and questions: one for the
attempts (``.only()`` the columns needed, streamed with ``.iterator()``) and one for their
answers; the rest is Python. Memory is bounded by the answers of the attempts analysed plus a
few numbers per (attempt, question) pair, i.e. O(attempts x questions per attempt): a quiz of
20 questions taken 10,000 times keeps about 200,000 small tuples, a few tens of megabytes. A
bank-wide analysis over millions of attempts should move the aggregation to SQL (PostgreSQL's
``jsonb_array_elements`` over the snapshots joined to the answers, or a table refreshed
nightly) rather than grow this.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Answer, Attempt, Question
from .classify import DimensionStatistics, dimension_statistics

#: A question is too easy when more than this proportion of learners gets it right.
TOO_EASY_P = 0.9
#: A question is too hard when fewer than this proportion of learners gets it right.
TOO_HARD_P = 0.3
#: Below this point-biserial a question hardly separates strong from weak learners.
LOW_DISCRIMINATION_R = 0.2
#: Fewer attempts than this presenting a question: no r_pb, no D, no flags.
MIN_ATTEMPTS = 5
#: Share of the attempts in each of the upper and lower groups of the D index.
GROUP_FRACTION = 0.27
#: Width of the score distribution's bands, in percentage points (0-9, 10-19, ..., 90-100).
BAND_WIDTH = 10

TOO_EASY = "too_easy"
TOO_HARD = "too_hard"
NEGATIVE_DISCRIMINATION = "negative_discrimination"
LOW_DISCRIMINATION = "low_discrimination"
FLAG_LABELS = {
    TOO_EASY: _("Too easy"),
    TOO_HARD: _("Too hard"),
    NEGATIVE_DISCRIMINATION: _("Negative discrimination"),
    LOW_DISCRIMINATION: _("Low discrimination"),
}

# Rounding of r_pb and D: enough for any decision, and no "-0.0000000001" flagged negative.
PLACES = 4
CENT = Decimal("0.01")


# --- Quiz statistics -----------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreBand:
    low: int
    high: int
    count: int
    proportion: float | None

    @property
    def label(self):
        return f"{self.low}–{self.high}"


@dataclass(frozen=True)
class QuizStatistics:
    attempts: int
    learners: int
    passed: int
    learners_passed: int
    pass_rate: float | None
    mean_score: Decimal | None
    median_score: Decimal | None
    bands: list[ScoreBand]


def _band_index(score):
    return min(int(score // BAND_WIDTH), 100 // BAND_WIDTH - 1)


def quiz_statistics(quiz):
    """Attempts, learners, pass rate (passed attempts / attempts), mean and median score and the
    score distribution in bands of ``BAND_WIDTH`` points, over the quiz's final attempts. One
    query."""
    rows = list(
        Attempt.objects.filter(quiz=quiz, status=Attempt.FINAL).values_list(
            "user_id", "score", "passed"
        )
    )
    scores = [score for _user, score, _passed in rows if score is not None]
    counts = [0] * (100 // BAND_WIDTH)
    for score in scores:
        counts[_band_index(score)] += 1
    last = len(counts) - 1
    bands = [
        ScoreBand(
            low=index * BAND_WIDTH,
            high=100 if index == last else (index + 1) * BAND_WIDTH - 1,
            count=count,
            proportion=count / len(scores) if scores else None,
        )
        for index, count in enumerate(counts)
    ]
    passed = sum(1 for _user, _score, ok in rows if ok)

    def rounded(value):
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)

    return QuizStatistics(
        attempts=len(rows),
        learners=len({user for user, _score, _passed in rows}),
        passed=passed,
        learners_passed=len({user for user, _score, ok in rows if ok}),
        pass_rate=passed / len(rows) if rows else None,
        mean_score=rounded(sum(scores) / len(scores)) if scores else None,
        median_score=rounded(median(scores)) if scores else None,
        bands=bands,
    )


# --- Item statistics -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceStatistics:
    id: int
    text: str
    correct: bool
    picks: int
    proportion: float | None


@dataclass
class ItemStatistics:
    """One question's statistics. ``stem``, ``type``, ``category``, ``points`` and the choices'
    texts and keys are those of the most recent attempt's snapshot."""

    question_id: int
    type: str
    stem: str
    category: str
    points: Decimal
    presented: int
    answered: int
    p: float
    r_pb: float | None
    d_index: float | None
    choices: list[ChoiceStatistics] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    dimensions: list[DimensionStatistics] = field(default_factory=list)  # classification

    @property
    def unanswered(self):
        return self.presented - self.answered

    @property
    def flag_labels(self):
        return [FLAG_LABELS[flag] for flag in self.flags]


class _Tally:
    """What one question collects while the attempts stream past."""

    __slots__ = ("answered", "entry", "observations", "picks")

    def __init__(self):
        self.entry = None
        self.answered = 0
        self.picks = defaultdict(int)
        # (attempt id, x, total score fraction, rest score fraction or None)
        self.observations = []


def _pearson(pairs):
    if len(pairs) < 2:
        return None
    n = len(pairs)
    mean_x = math.fsum(x for x, _y in pairs) / n
    mean_y = math.fsum(y for _x, y in pairs) / n
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in pairs)
    sxx = math.fsum((x - mean_x) ** 2 for x, _y in pairs)
    syy = math.fsum((y - mean_y) ** 2 for _x, y in pairs)
    if sxx <= 0 or syy <= 0:
        return None
    return round(sxy / math.sqrt(sxx * syy), PLACES)


def _d_index(observations):
    ranked = sorted(observations, key=lambda o: (o[2], o[0]))
    size = max(1, int(GROUP_FRACTION * len(ranked) + 0.5))
    lower, upper = ranked[:size], ranked[-size:]
    return round(
        math.fsum(o[1] for o in upper) / size - math.fsum(o[1] for o in lower) / size, PLACES
    )


def _flags(p, r_pb, d_index):
    flags = []
    if p > TOO_EASY_P:
        flags.append(TOO_EASY)
    if p < TOO_HARD_P:
        flags.append(TOO_HARD)
    if (r_pb is not None and r_pb < 0) or (d_index is not None and d_index < 0):
        flags.append(NEGATIVE_DISCRIMINATION)
    elif r_pb is not None and r_pb < LOW_DISCRIMINATION_R:
        flags.append(LOW_DISCRIMINATION)
    return flags


def _item_score(entry, answer):
    """``x`` for one presented question: see the module docstring."""
    if answer is None:
        return 0.0, Decimal(0)
    _choices, _text, points, is_correct = answer
    points = points or Decimal(0)
    if entry["type"] in PARTIAL_TYPES:
        maximum = Decimal(entry["points"])
        if maximum > 0:
            return float(points / maximum), points
    return (1.0 if is_correct else 0.0), points


#: Types whose ``x`` is the share of the points earned (a classification question scores a
#: third per dimension), not right/wrong.
PARTIAL_TYPES = (Question.ESSAY, Question.CLASSIFY)


def _final_attempts(quiz, question_ids):
    attempts = Attempt.objects.filter(status=Attempt.FINAL)
    if quiz is not None:
        attempts = attempts.filter(quiz=quiz)
    if question_ids is not None and connection.features.supports_json_field_contains:
        # Only attempts that presented one of the questions (PostgreSQL's jsonb @>). Elsewhere
        # all final attempts are read and the other questions skipped in Python.
        presented = Q()
        for question_id in question_ids:
            presented |= Q(questions__contains=[{"id": question_id}])
        attempts = attempts.filter(presented)
    return attempts


def item_statistics(quiz=None, question_ids=None):
    """Statistics of each question presented in the final attempts of ``quiz`` (of all quizzes
    when ``None``), restricted to ``question_ids`` when given; ordered by category and id.

    Two queries whatever the number of attempts or questions (see the module docstring).
    """
    wanted = None if question_ids is None else {int(pk) for pk in question_ids}
    if wanted is not None and not wanted:
        return []
    attempts = _final_attempts(quiz, wanted)

    answers_qs = Answer.objects.filter(attempt__in=attempts.values("pk"))
    if wanted is not None:
        answers_qs = answers_qs.filter(question_id__in=wanted)
    answers = defaultdict(dict)
    for attempt_id, question_id, choice_ids, text, points, is_correct in answers_qs.values_list(
        "attempt_id", "question_id", "choice_ids", "text", "points", "is_correct"
    ):
        answers[attempt_id][question_id] = (choice_ids or [], text, points, is_correct)

    tallies = defaultdict(_Tally)
    rows = attempts.only("pk", "questions", "points", "max_points").order_by("pk")
    for attempt in rows.iterator(chunk_size=500):
        total_points = attempt.points or Decimal(0)
        max_points = attempt.max_points or Decimal(0)
        total = float(total_points / max_points) if max_points else 1.0
        given = answers.get(attempt.pk, {})
        for entry in attempt.questions:
            question_id = entry["id"]
            if wanted is not None and question_id not in wanted:
                continue
            tally = tallies[question_id]
            tally.entry = entry  # ordered by pk: the last one seen is the most recent
            answer = given.get(question_id)
            if answer is not None and (answer[0] or answer[1]):
                tally.answered += 1
                for choice_id in answer[0]:
                    tally.picks[choice_id] += 1
            x, item_points = _item_score(entry, answer)
            rest_max = max_points - Decimal(entry["points"])
            rest = float((total_points - item_points) / rest_max) if rest_max > 0 else None
            tally.observations.append((attempt.pk, x, total, rest))

    return sorted(
        (_summarise(question_id, tally) for question_id, tally in tallies.items()),
        key=lambda item: (item.category, item.question_id),
    )


def _summarise(question_id, tally):
    entry, observations = tally.entry, tally.observations
    presented = len(observations)
    p = math.fsum(o[1] for o in observations) / presented
    r_pb = d_index = None
    flags = []
    if presented >= MIN_ATTEMPTS:
        r_pb = _pearson([(o[1], o[3]) for o in observations if o[3] is not None])
        d_index = _d_index(observations)
        flags = _flags(p, r_pb, d_index)
    dimensions = []
    if entry["type"] == Question.CLASSIFY:
        # Its "choices" are the whole code lists: summarised per dimension instead.
        dimensions = dimension_statistics(entry, tally.picks, presented)
        entry = {**entry, "choices": []}
        tally.picks.clear()
    # Choices of the latest snapshot in their bank order (ids ascend with it), then any
    # that only older snapshots had, so that every pick is accounted for.
    texts = {c["id"]: c for c in entry.get("choices", [])}
    choice_ids = sorted(texts) + sorted(set(tally.picks) - set(texts))
    choices = [
        ChoiceStatistics(
            id=choice_id,
            text=texts[choice_id]["text"] if choice_id in texts else "",
            correct=bool(texts.get(choice_id, {}).get("correct")),
            picks=tally.picks.get(choice_id, 0),
            proportion=tally.picks.get(choice_id, 0) / presented,
        )
        for choice_id in choice_ids
    ]
    return ItemStatistics(
        question_id=question_id,
        type=entry["type"],
        stem=entry["stem"],
        category=entry.get("category", ""),
        points=Decimal(entry["points"]),
        presented=presented,
        answered=tally.answered,
        p=p,
        r_pb=r_pb,
        d_index=d_index,
        choices=choices,
        flags=flags,
        dimensions=dimensions,
    )
