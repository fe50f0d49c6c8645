"""Certificates: issued with each completion record, rendered as PDF with a CID font that ships
inside reportlab (Chinese renders without any font download), verifiable by code."""

import io
import secrets

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from lms.models import Certificate, ChainHead, CompletionRecord
from lms.services.records.sealing import certificate_seal, matches, record_hash

#: No 0/O, 1/I/L: codes are read aloud and typed from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
FONT = "STSong-Light"


def register_font():
    """Register the CID font (it ships inside reportlab: nothing to download) and return its
    name, for every PDF that prints Chinese."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text):
    return "".join(ch for ch in (text or "").upper() if ch in ALPHABET)[:CODE_LENGTH]


def new_certificate(record):
    """A new (unsaved) certificate for the saved ``record``, sealed to it (its code, the record's
    id and the record's hash under the chain key)."""
    code, issued_at = new_code(), timezone.now()
    return Certificate(
        record=record,
        code=code,
        issued_at=issued_at,
        seal=certificate_seal(code, record.pk, record.hash, issued_at),
    )


def issue_certificate(record):
    """The record's certificate, created on first call."""
    certificate = Certificate.objects.filter(record=record).first()
    if certificate is None:
        certificate = new_certificate(record)
        certificate.save()
    return certificate


def holder_name(record):
    if record.staff_id:
        return record.staff.name
    return record.user.get_full_name() or record.user.get_username()


VALID = "valid"
EXPIRED = "expired"
SUPERSEDED = "superseded"


def verify(code, today=None):
    """``(certificate, state)`` for a code typed by anyone: ``VALID``, ``EXPIRED`` (its record
    counted only through ``valid_until``, before ``today``) or ``SUPERSEDED`` (its record was
    corrected: the correction has a certificate of its own); ``(None, None)`` if unknown, or if
    the certificate's seal does not bind it to its record (moved to another record behind the
    application's back: nothing about that record is shown). The expiry date is the record's,
    which its hash covers and the seal binds: it cannot be moved without the key."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None, None
    certificate = (
        Certificate.objects.select_related("record__staff", "record__user")
        .filter(code=code)
        .first()
    )
    if certificate is None or not is_sealed(certificate):
        return None, None
    if CompletionRecord.objects.filter(supersedes_id=certificate.record_id).exists():
        return certificate, SUPERSEDED
    until = certificate.record.valid_until
    if until is not None and until < (today or timezone.localdate()):
        return certificate, EXPIRED
    return certificate, VALID


def is_sealed(certificate):
    """The certificate's seal binds it to its record, and the record's content still hashes to
    the hash the seal names (a date or a name changed behind the application's back is not
    shown as certified); an unsealed one passes only while the chain awaits
    ``lms_seal_records`` (certificates issued before the chain was keyed)."""
    record = certificate.record
    if not matches(record_hash(record, record.prev_hash, record.hash_version), record.hash):
        return False
    if not certificate.seal:
        return ChainHead.objects.filter(pk=1, seal="").exists()
    expected = certificate_seal(certificate.code, record.pk, record.hash, certificate.issued_at)
    return matches(expected, certificate.seal)


def render_pdf(certificate, verify_url=""):
    """The certificate as an A4 landscape PDF (bytes), always in the site's language: it is a
    document for the bank's files, whatever language the holder browses in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render_pdf(certificate, verify_url)


def _render_pdf(certificate, verify_url):
    register_font()
    record = certificate.record
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Certificate of completion"))
    navy = HexColor("#0b5394")
    pdf.setStrokeColor(navy)
    pdf.setLineWidth(6)
    pdf.rect(28, 28, width - 56, height - 56)
    pdf.setLineWidth(1)
    pdf.rect(40, 40, width - 80, height - 80)
    pdf.setFillColor(navy)
    pdf.setFont(FONT, 34)
    pdf.drawCentredString(width / 2, height - 130, _("Certificate of completion"))
    pdf.setFillColor(HexColor("#1d2733"))
    pdf.setFont(FONT, 26)
    pdf.drawCentredString(width / 2, height - 220, holder_name(record))
    pdf.setFont(FONT, 16)
    completed = timezone.localtime(record.completed_at).strftime("%Y-%m-%d")
    pdf.drawCentredString(
        width / 2,
        height - 270,
        _("completed “%(title)s” on %(date)s") % {"title": record.title, "date": completed},
    )
    details = _("Credit hours: %(hours)s") % {"hours": record.credit_hours}
    if record.score is not None:
        details += "    " + _("Score: %(score)s%%") % {"score": record.score}
    pdf.drawCentredString(width / 2, height - 305, details)
    if record.valid_until is not None:
        pdf.drawCentredString(
            width / 2,
            height - 335,
            _("Valid until %(date)s") % {"date": record.valid_until.strftime("%Y-%m-%d")},
        )
    pdf.setFont(FONT, 12)
    pdf.drawString(
        70, 80, _("Verification code: %(code)s") % {"code": display_code(certificate.code)}
    )
    if verify_url:
        pdf.drawRightString(width - 70, 80, verify_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
