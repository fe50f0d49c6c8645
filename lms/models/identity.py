"""Identity: first-login activation codes, and the 企业微信 (WeCom) accounts people sign in with."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivationCode(models.Model):
    """A one-time code an officer issued so that someone on the roster without a password can
    set one (首次登录激活). Only a keyed hash of the code is stored; the code itself exists only
    on the slip printed when it was issued.

    The row is kept after use or replacement (who issued it, when, when it was used), and at most
    one code per person is open (neither used nor replaced): a database guarantee.
    ``failed_attempts`` and ``locked_until`` throttle guessing at the open code."""

    wagtail_reference_index_ignore = True

    staff = models.ForeignKey(
        "lms_core.StaffProfile",
        on_delete=models.PROTECT,
        related_name="activation_codes",
        verbose_name=_("staff member"),
    )
    code_hash = models.CharField(_("code hash"), max_length=128)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    replaced_at = models.DateTimeField(
        _("replaced at"),
        null=True,
        blank=True,
        help_text=_("A newer code was issued to the same person, which made this one invalid."),
    )
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        permissions = [("issue_activationcode", _("Can issue first-login activation codes"))]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(used_at__isnull=True, replaced_at__isnull=True),
                name="lms_core_activationcode_one_open_per_staff",
            )
        ]

    def __str__(self):
        return f"{self.staff} {self.issued_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self):
        return self.used_at is None and self.replaced_at is None


class WeComIdentity(models.Model):
    """The 企业微信 userid someone last signed in with, so that messages reach them even when
    the userid is not their employee number."""

    wagtail_reference_index_ignore = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wecom_identity",
        verbose_name=_("user"),
    )
    userid = models.CharField(_("WeCom userid"), max_length=64, unique=True)
    last_sign_in = models.DateTimeField(_("last sign-in"), default=timezone.now)

    class Meta:
        verbose_name = _("WeCom account")
        verbose_name_plural = _("WeCom accounts")

    def __str__(self):
        return self.userid
