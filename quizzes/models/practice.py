"""Practice rounds of the mistake book (错题本): questions a learner got wrong, drawn again.

A separate model from ``Attempt`` on purpose: a practice round is untimed, unrecorded and
belongs to no quiz, so nothing that reads attempts — the ``attempt_finalized`` signal, course
and completion records, reports and analytics — can ever count one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PracticeRound(models.Model):
    """``questions`` is a snapshot like an attempt's; each entry also says whether its correct
    answer may be shown (``reveal``: a review of one of the learner's attempts showed it).
    ``answers`` maps question ids (as strings) to ``{"choices": [...], "correct": bool}``."""

    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practice_rounds",
        verbose_name=_("learner"),
    )
    category = models.CharField(_("category"), max_length=255, blank=True)
    questions = models.JSONField(_("question snapshot"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    started_at = models.DateTimeField(
        pgettext_lazy("practice round", "started at"), default=timezone.now
    )
    finished_at = models.DateTimeField(
        pgettext_lazy("practice round", "finished at"), null=True, blank=True
    )
    correct = models.PositiveIntegerField(_("correct answers"), default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("practice round")
        verbose_name_plural = _("practice rounds")

    def __str__(self):
        return f"{self.user} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self):
        return self.finished_at is not None
