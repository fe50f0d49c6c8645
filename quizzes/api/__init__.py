"""The learner JSON API of the quizzes app (a django-ninja router; a host mounts it, CP-LMS
under ``/api/v1/``): start or resume an attempt (confirming the rules of a one-attempt or timed
quiz), save answers, report leaving the page, submit, read the result; my mistake book
(``/me/mistakes``) and its practice rounds.

Thin: every rule is in ``quizzes.services``, the same functions the learner pages use; the
services raise ``QuizError`` subclasses, which the host API answers with their status and
message. Before an attempt is final its JSON holds no correct answers, correct flags,
explanations or feedback — except the feedback of a locked answer in a practice quiz with
feedback after each question; afterwards only the review the quiz's policy allows.

``router`` is what a host mounts; ``Error`` is the ``{"detail": …}`` body of every error, which
other apps' routers share.
"""

from ninja import Router

from .attempts import router as attempts_router
from .mistakes import router as mistakes_router
from .quizzes import router as quizzes_router
from .schemas import Error

router = Router(tags=["quizzes"])
router.add_router("", quizzes_router)
router.add_router("", attempts_router)
router.add_router("", mistakes_router)

__all__ = ["Error", "router"]
