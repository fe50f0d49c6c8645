"""The focus-loss log: each time the learner leaves an attempt's page (it is hidden, or the
window loses focus) the browser reports it; it is counted on the attempt and logged as an
``AttemptEvent`` for markers and the reports. Logged, not blocked — phones get calls — unless the
quiz sets ``focus_loss_limit``: then the attempt is submitted once the count reaches it."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..exceptions import AttemptClosed, InvalidAnswer
from ..models import Attempt, AttemptEvent
from .attempts import finalize_if_expired, submit_attempt

KINDS = {kind for kind, _label in AttemptEvent.KIND_CHOICES}


def record_focus_loss(attempt, kind):
    """Log that the learner left ``attempt``'s page; returns the attempt as it now is
    (submitted if the quiz's limit was reached). ``AttemptClosed`` once it is no longer open."""
    if kind not in KINDS:
        raise InvalidAnswer(_("Unknown event: send “hidden” or “blur”."))
    if finalize_if_expired(attempt) or attempt.status != Attempt.IN_PROGRESS:
        raise AttemptClosed
    with transaction.atomic():
        current = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("quiz")
            .get(pk=attempt.pk)
        )
        if current.status != Attempt.IN_PROGRESS:
            raise AttemptClosed
        AttemptEvent.objects.create(attempt=current, kind=kind)
        Attempt.objects.filter(pk=current.pk).update(focus_losses=F("focus_losses") + 1)
        current.refresh_from_db(fields=["focus_losses"])
        limit = current.quiz.focus_loss_limit
        if limit and current.focus_losses >= limit:
            current = submit_attempt(current, focus_submitted=True)
    attempt.refresh_from_db()
    return attempt
