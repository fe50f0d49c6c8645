"""Signals the quizzes app sends.

``attempt_finalized(sender=Attempt, attempt)``
    ``attempt`` has its final score (``score``, ``passed``): sent once per attempt, inside the
    transaction that finalized it (on submission, on time-out, or when its last essay was marked).
"""

from django.dispatch import Signal

attempt_finalized = Signal()
