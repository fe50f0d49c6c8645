"""Signals the quizzes app sends.

``attempt_finalized(sender=Attempt, attempt)``
    ``attempt`` has its final score (``score``, ``passed``): sent once per attempt, inside the
    transaction that finalized it (on submission, on time-out, or when its last essay was marked).

``attempt_starting(sender=Quiz, user, quiz)``
    ``user`` is about to start a new attempt of ``quiz`` (not when resuming an open one). A
    receiver that must refuse it — e.g. a course whose lessons come before its quiz — raises
    ``quizzes.exceptions.StartRefused`` with a message saying why; nothing is written then, and
    the page or API answers 409 with that message.
"""

from django.dispatch import Signal

attempt_finalized = Signal()
attempt_starting = Signal()
