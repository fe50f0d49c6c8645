"""A quiz's rules as they apply to one person: the quiz's settings with that person's overrides
(extra attempts, a later closing time, a longer time limit, an exemption), and granting and
revoking those overrides.

Other apps see exemptions without quizzes knowing them: the ``override_granted`` and
``override_revoked`` signals, and the queries ``exempt_user_ids(quiz)`` and
``is_exempt(user, quiz)``."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..exceptions import QuizClosed, QuizError
from ..models import QuizOverride
from ..signals import override_granted, override_revoked


@dataclass(frozen=True)
class Rules:
    """What applies to one person: ``max_attempts`` (0 = unlimited), ``time_limit_minutes``
    (None = untimed), the window ``opens_at`` / ``closes_at`` (None = open-ended), and whether
    they are ``exempt`` (with the ``exemption_reason``)."""

    max_attempts: int
    time_limit_minutes: int | None
    opens_at: datetime | None
    closes_at: datetime | None
    exempt: bool = False
    exemption_reason: str = ""
    overrides: tuple = field(default=(), compare=False)


def rules_for(user, quiz):
    """The quiz's rules for ``user``, with every override in force: extra attempts add up, the
    latest closing time and the longest time limit win (one query)."""
    overrides = tuple(QuizOverride.objects.in_force().filter(quiz=quiz, user=user))
    max_attempts = quiz.max_attempts
    if max_attempts:
        max_attempts += sum(o.extra_attempts for o in overrides)
    limits = [quiz.time_limit_minutes] + [o.time_limit_minutes for o in overrides]
    time_limit = max((m for m in limits if m), default=None) if quiz.time_limit_minutes else None
    closes_at = quiz.closes_at
    later = [o.closes_at for o in overrides if o.closes_at]
    if closes_at and later:
        closes_at = max([closes_at, *later])
    exemptions = [o for o in overrides if o.exempt]
    return Rules(
        max_attempts=max_attempts,
        time_limit_minutes=time_limit,
        opens_at=quiz.opens_at,
        closes_at=closes_at,
        exempt=bool(exemptions),
        exemption_reason=exemptions[0].reason if exemptions else "",
        overrides=overrides,
    )


def when(moment):
    """A moment as the learner reads it, in the site's time zone."""
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def window_text(rules):
    """The quiz's window in words, or "" when it has none."""
    if rules.opens_at and rules.closes_at:
        return _("Open from %(opens)s to %(closes)s.") % {
            "opens": when(rules.opens_at),
            "closes": when(rules.closes_at),
        }
    if rules.opens_at:
        return _("Opens at %(opens)s.") % {"opens": when(rules.opens_at)}
    if rules.closes_at:
        return _("Closes at %(closes)s.") % {"closes": when(rules.closes_at)}
    return ""


def check_window(rules, now=None):
    """Raise ``QuizClosed`` (with the window in its message) outside the person's window."""
    now = now or timezone.now()
    if rules.opens_at and now < rules.opens_at:
        raise QuizClosed(
            _("This quiz is not open yet. %(window)s") % {"window": window_text(rules)}
        )
    if rules.closes_at and now >= rules.closes_at:
        raise QuizClosed(_("This quiz has closed. %(window)s") % {"window": window_text(rules)})


def is_open_now(rules, now=None):
    try:
        check_window(rules, now)
    except QuizClosed:
        return False
    return True


def grant_override(
    quiz,
    user,
    *,
    granted_by,
    reason,
    extra_attempts=0,
    closes_at=None,
    time_limit_minutes=None,
    exempt=False,
):
    """Grant ``user`` an override of ``quiz`` and send ``override_granted``. Raises
    ``QuizError`` with the reason when the grant is empty or unexplained."""
    override = QuizOverride(
        quiz=quiz,
        user=user,
        extra_attempts=extra_attempts or 0,
        closes_at=closes_at,
        time_limit_minutes=time_limit_minutes,
        exempt=exempt,
        reason=(reason or "").strip(),
        granted_by=granted_by,
    )
    try:
        override.full_clean()
    except ValidationError as error:
        raise QuizError(" ".join(error.messages)) from error
    with transaction.atomic():
        override.save()
        override_granted.send(sender=QuizOverride, override=override)
    return override


def revoke_override(override, *, revoked_by, reason):
    """Revoke a grant: it stays as evidence with who revoked it, when and why, and stops
    applying. Sends ``override_revoked``."""
    reason = (reason or "").strip()
    if not reason:
        raise QuizError(_("Give the reason for revoking the override."))
    with transaction.atomic():
        current = QuizOverride.objects.select_for_update().get(pk=override.pk)
        if current.revoked_at is not None:
            raise QuizError(_("This override has already been revoked."))
        current.revoked_at = timezone.now()
        current.revoked_by = revoked_by
        current.revoke_reason = reason
        current.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        override_revoked.send(sender=QuizOverride, override=current)
    return current


def exempt_user_ids(quiz):
    """Ids of the users exempt from ``quiz`` (an exemption in force): one query."""
    return set(
        QuizOverride.objects.in_force()
        .filter(quiz=quiz, exempt=True)
        .values_list("user_id", flat=True)
    )


def is_exempt(user, quiz):
    """True when ``user`` has an exemption from ``quiz`` in force."""
    return QuizOverride.objects.in_force().filter(quiz=quiz, user=user, exempt=True).exists()
