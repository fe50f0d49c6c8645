"""Signals the quizzes app sends.

``attempt_finalized(sender=Attempt, attempt)``
    ``attempt`` has its final score (``score``, ``passed``): sent once per attempt, inside the
    transaction that finalized it (on submission, on time-out, or when its last essay was marked).
    Practice rounds of the mistake book are not attempts and never send it.

``attempt_starting(sender=Quiz, user, quiz)``
    ``user`` is about to start a new attempt of ``quiz`` (not when resuming an open one). A
    receiver that must refuse it — e.g. a course whose lessons come before its quiz — raises
    ``quizzes.exceptions.StartRefused`` with a message saying why; nothing is written then, and
    the page or API answers 409 with that message.

``override_granted(sender=QuizOverride, override)``
    A trainer or officer granted ``override.user`` an override of ``override.quiz`` (extra
    attempts, a later closing time, a longer time limit, or ``override.exempt``: an exemption,
    with ``override.reason`` and ``override.granted_by``). Sent inside the transaction that saved
    it.

``override_revoked(sender=QuizOverride, override)``
    That grant was revoked (``revoked_by``, ``revoked_at``, ``revoke_reason``); it stays stored.
    ``quizzes.services.exempt_user_ids(quiz)`` / ``is_exempt(user, quiz)`` answer the same
    question as a query.
"""

from django.dispatch import Signal

attempt_finalized = Signal()
attempt_starting = Signal()
override_granted = Signal()
override_revoked = Signal()
