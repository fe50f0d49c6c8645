"""Completion records: the evidence. Append-only and chained by a keyed hash (HMAC-SHA256 with
``LMS_RECORD_CHAIN_KEY``, which is not in the database), so an edit made behind the
application's back (raw SQL) is detected by ``python manage.py lms_verify_records``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImmutableRecord(Exception):
    """Raised on any attempt to change or delete a completion record through the ORM."""


class CompletionRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord("Completion records are append-only.")

    def delete(self):
        raise ImmutableRecord("Completion records are append-only.")

    def bulk_update(self, *args, **kwargs):
        raise ImmutableRecord("Completion records are append-only.")


class CompletionRecord(models.Model):
    """Who completed what (which content revision), when, how, with what result, credited to
    which unit, recorded by whom. A correction is a new record that ``supersedes`` an old one,
    with a reason; nothing is ever updated or deleted."""

    wagtail_reference_index_ignore = True

    COURSE = "course"
    QUIZ = "quiz"
    ATTESTATION = "attestation"
    OFFLINE = "offline"
    KIND_CHOICES = [
        (COURSE, _("Online course")),
        (QUIZ, _("Quiz")),
        (ATTESTATION, _("Attestation")),
        (OFFLINE, _("Offline session")),
    ]

    ONLINE = "online"
    QUIZ_PASS = "quiz_pass"  # noqa: S105 - not a password
    ATTESTED = "attested"
    CHECK_IN = "check_in"
    OFFICER_IMPORT = "officer_import"
    CORRECTION = "correction"
    METHOD_CHOICES = [
        (ONLINE, _("Online")),
        (QUIZ_PASS, _("Quiz passed")),
        (ATTESTED, _("Read and confirmed")),
        (CHECK_IN, _("Offline check-in")),
        (OFFICER_IMPORT, _("Recorded by an officer")),
        (CORRECTION, _("Correction")),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="completion_records",
        verbose_name=_("learner"),
    )
    staff = models.ForeignKey(
        "lms_core.StaffProfile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("staff member"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES)
    course = models.ForeignKey(
        "lms_courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("course"),
    )
    quiz = models.ForeignKey(
        "lms_quizzes.Quiz",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quiz"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("attested page"),
    )
    session = models.ForeignKey(
        "lms_core.OfflineSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("offline session"),
    )
    title = models.CharField(_("title"), max_length=255)
    content_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("content revision"),
    )
    completed_at = models.DateTimeField(_("completed at"))
    method = models.CharField(_("method"), max_length=16, choices=METHOD_CHOICES)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    credit_hours = models.DecimalField(_("credit hours"), max_digits=4, decimal_places=1, default=0)
    attempt = models.ForeignKey(
        "lms_quizzes.Attempt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quiz attempt (evidence)"),
    )
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    credited_unit = models.ForeignKey(
        "lms_core.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("credited unit"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day this completion counts, for items that expire."),
    )
    created_at = models.DateTimeField(_("recorded at"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(pgettext_lazy("training record", "hash"), max_length=64, unique=True)
    #: 1: plain SHA-256 (records written before the chain was keyed); 2: HMAC-SHA256 with the
    #: chain key. See lms.services.records.chain.
    hash_version = models.PositiveSmallIntegerField(_("hash scheme"), default=1)

    objects = CompletionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("completion record")
        verbose_name_plural = _("completion records")
        indexes = [models.Index(fields=["user", "completed_at"], name="lms_core_record_user")]
        permissions = [
            (
                "record_outside",
                _("Can record training held elsewhere and correct completion records"),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord("Completion records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("Completion records are append-only.")


class ChainHead(models.Model):
    """The single row holding the hash of the newest record; appending locks it, so records
    form one chain even when many are written at once. ``seal`` is an HMAC (chain key) over the
    count, the last hash and the legacy anchor, so the head cannot be rewound without the key.
    ``legacy_count``/``legacy_hash`` anchor the records written before the chain was keyed
    (``lms_seal_records``)."""

    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)
    seal = models.CharField(max_length=64, blank=True, default="")
    legacy_count = models.PositiveBigIntegerField(default=0)
    legacy_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("record chain head")

    def __str__(self):
        return f"{self.count} · {self.last_hash[:12]}"


class Certificate(models.Model):
    """A certificate for a completed course or quiz, verifiable by its code at /verify/<code>/.
    Issued once per completion record; a superseding correction issues a new one."""

    wagtail_reference_index_ignore = True

    record = models.OneToOneField(
        CompletionRecord,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("completion record"),
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    #: HMAC (chain key) over the code, the record and its hash: binds the code to its record.
    seal = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.code
