"""The daily anchor run (``manage.py lms_anchor_chain``, ``lms.tasks.anchor_chain_task``): verify
the chain, write the signed anchor of its head (``lms.services.records.anchor``) and, if asked,
email it to the officers.

The email goes to the officers alone (active users with ``lms_core.view_all_progress``, as for
the weekly digest), one message each, with the anchor's figures in the body and the signed file
attached: a copy outside the server that ``lms_verify_records --anchors DIR`` checks as it checks
the server's own. It is sent only when this run wrote a new anchor (a second run the same day
with the same head sends nothing); a failed email is logged and counted, and the file stays.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.services.records.anchor import take_anchor, write_anchor
from lms.services.records.verification import verify_chain
from lms.services.reminders.digest import officers

logger = logging.getLogger(__name__)


def anchor_chain(day=None, directory=None, email=False):
    """Verify the chain, anchor its head for ``day`` in ``directory`` and email a new anchor to
    the officers if ``email``. Returns a JSON-ready summary: the anchor's figures, its file,
    whether it was ``written`` (False: that day's anchor of the same head was there), the
    chain's ``problems`` and the emails ``emailed``/``email_failed``."""
    chain = verify_chain()
    anchor = write_anchor(take_anchor(day, chain), directory)
    emailed, failed = (0, 0)
    if email and anchor.written:
        emailed, failed = email_anchor(anchor)
    body = anchor.body
    return {
        "date": body["date"],
        "path": str(anchor.path),
        "written": anchor.written,
        "records": body["records"],
        "head_record": body["head_record"],
        "head_hash": body["head_hash"],
        "digest": anchor.digest(),
        "verified": chain.ok,
        "problems": chain.total,
        "emailed": emailed,
        "email_failed": failed,
    }


def anchor_message(anchor):
    """``(subject, body)`` of the email carrying ``anchor``, in the active language."""
    body = anchor.body
    values = {
        "site": body["site"],
        "date": body["date"],
        "records": body["records"],
        "pk": body["head_record"] or 0,
        "hash": body["head_hash"],
        "digest": anchor.digest(),
        "created": body["created_at"],
        "file": anchor.path.name,
    }
    subject = _("[%(site)s] Record chain anchor, %(date)s") % values
    if body["verified"]:
        status = _("The chain verified when the anchor was taken.")
    else:
        status = ngettext(
            "The chain did NOT verify when the anchor was taken (%(n)d problem): run "
            "lms_verify_records.",
            "The chain did NOT verify when the anchor was taken (%(n)d problems): run "
            "lms_verify_records.",
            body["problems"],
        ) % {"n": body["problems"]}
    lines = [
        _("The completion records' hash chain, as anchored on %(date)s (at %(created)s UTC):")
        % values,
        "",
        _("Records in the chain: %(records)d") % values,
        _("Newest record: %(pk)d") % values,
        _("Its hash: %(hash)s") % values,
        _("Anchor fingerprint: %(digest)s") % values,
        status,
        "",
        _(
            "Keep this email (the file %(file)s is attached): it lies outside the training "
            "system, so a chain rebuilt after today no longer matches it. "
            "“manage.py lms_verify_records --anchors DIR” checks a folder of such files."
        )
        % values,
    ]
    return subject, "\n".join(lines)


def email_anchor(anchor):
    """Email ``anchor`` to every officer with an address, one message each. Returns
    ``(sent, failed)``."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, text = anchor_message(anchor)
    connection = get_connection()
    sent = failed = 0
    for officer in officers():
        if not officer["email"]:
            continue
        message = EmailMessage(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[officer["email"]],
            connection=connection,
        )
        message.attach(anchor.path.name, anchor.text(), "application/json")
        try:
            message.send()
            sent += 1
        except (smtplib.SMTPException, OSError, UnicodeError) as error:
            failed += 1
            logger.warning("Chain anchor email to user %s failed: %s", officer["pk"], error)
    return sent, failed
