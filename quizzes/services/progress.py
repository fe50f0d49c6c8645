"""A learner's results per question category, over their final attempts (what django-quiz-app
called "progress")."""

from collections import defaultdict
from decimal import Decimal

from ..models import Answer, Attempt


def category_progress(user):
    """Rows of ``{"category", "answered", "correct", "percent"}`` sorted by category, counting
    every question of the learner's final attempts (unanswered ones as not correct), as the
    snapshot recorded its category. Two queries."""
    attempts = list(Attempt.objects.filter(user=user, status=Attempt.FINAL).only("pk", "questions"))
    correct = set(
        Answer.objects.filter(attempt__in=attempts, is_correct=True).values_list(
            "attempt_id", "question_id"
        )
    )
    totals = defaultdict(lambda: [0, 0])
    for attempt in attempts:
        for entry in attempt.questions:
            row = totals[entry["category"]]
            row[0] += 1
            row[1] += (attempt.pk, entry["id"]) in correct
    return [
        {
            "category": category,
            "answered": answered,
            "correct": right,
            "percent": round(Decimal(100 * right) / answered) if answered else 0,
        }
        for category, (answered, right) in sorted(totals.items())
    ]
