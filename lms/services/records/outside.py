"""Completions of training held elsewhere (a regulator's lecture, a video meeting, a paper
sign-in), entered by an officer, and officers' corrections of records.

Such a record says so in the chain: its method is ``OFFICER_IMPORT`` (a correction's
``CORRECTION``), it names who recorded it and why, and its hashed evidence holds the attachment's
name, size, SHA-256 and stored path, so a file swapped in the private storage is detectable
(``attachment_matches``). The attachment is stored in the private storage (no URL); the admin
hands it out only to those who may see the record."""

import datetime
import hashlib
import posixpath
import secrets
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.models import Assignment, Certificate, CompletionRecord
from lms.models.roster import private_storage
from lms.services.records.certificates import issue_certificate
from lms.services.records.chain import append_later, record_completion, supersede_record

PERMISSION = "lms_core.record_outside"

REGULATOR_LECTURE = "regulator_lecture"
VIDEO_MEETING = "video_meeting"
PAPER_SIGN_IN = "paper_sign_in"
OTHER = "other"
HELD_AS_CHOICES = [
    (REGULATOR_LECTURE, gettext_lazy("Regulator's lecture")),
    (VIDEO_MEETING, gettext_lazy("Video meeting")),
    (PAPER_SIGN_IN, gettext_lazy("Paper sign-in")),
    (OTHER, gettext_lazy("Other")),
]

#: The file types an attachment may be, by extension, with the bytes such a file starts with.
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".xlsx": (b"PK\x03\x04",),
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_DIR = "record-attachments"

#: The bounds of ``CompletionRecord.credit_hours`` (4 digits, one after the point).
MAX_HOURS = Decimal("999.9")
MAX_REASON = 500  # CompletionRecord.reason


class OutsideRecordError(Exception):
    """Why an officer's entry or correction is refused: ``field`` (a form field's name, or None)
    and a translated message."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def may_record_outside(user):
    """Whether ``user`` may enter completions held elsewhere and correct records: officers (and
    superusers). Managers and trainers may not."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def _require(user):
    if not may_record_outside(user):
        raise OutsideRecordError(_("Only the consumer-protection officer may do this."))


# --- The attachment ---------------------------------------------------------------------------


def check_attachment(name, content):
    """Refuse an attachment that is missing, empty, too big or not a PDF, JPG, PNG or XLSX."""
    if not name or content is None:
        raise OutsideRecordError(_("Attach the evidence (a scan or a photo)."), "attachment")
    extension = posixpath.splitext(name.lower())[1]
    if extension not in ATTACHMENT_TYPES:
        raise OutsideRecordError(
            _("The attachment must be a PDF, JPG, PNG or XLSX file."), "attachment"
        )
    if not content:
        raise OutsideRecordError(_("The attachment is empty."), "attachment")
    if len(content) > ATTACHMENT_MAX_BYTES:
        raise OutsideRecordError(
            _("The attachment is larger than %(size)d MB.")
            % {"size": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            "attachment",
        )
    if not content.startswith(ATTACHMENT_TYPES[extension]):
        raise OutsideRecordError(
            _("The attachment is not the %(type)s file its name says.")
            % {"type": extension[1:].upper()},
            "attachment",
        )


def read_upload(upload):
    """``(name, bytes)`` of an uploaded file, reading at most one byte past the limit."""
    if upload is None:
        return "", None
    upload.seek(0)
    return upload.name, upload.read(ATTACHMENT_MAX_BYTES + 1)


def store_attachment(name, content):
    """Check and store an attachment in the private storage: the evidence describing it."""
    check_attachment(name, content)
    digest = hashlib.sha256(content).hexdigest()
    base = posixpath.basename(name.replace("\\", "/"))[-100:]
    stamp = timezone.localdate().strftime("%Y/%m")
    path = f"{ATTACHMENT_DIR}/{stamp}/{secrets.token_hex(8)}{posixpath.splitext(base)[1].lower()}"
    stored = private_storage().save(path, ContentFile(content))
    return {"name": base, "sha256": digest, "size": len(content), "path": stored}


def attachment_of(record):
    """The attachment described in ``record``'s evidence (a dict), or None."""
    attachment = (record.evidence or {}).get("attachment")
    return attachment if isinstance(attachment, dict) and attachment.get("path") else None


def open_attachment(record):
    """``(file, attachment)`` of ``record``'s stored attachment; raises ``OutsideRecordError``
    when it has none, when it is gone, or when the stored file's SHA-256 is not the one in the
    record's (hashed) evidence: a file swapped in the storage is never handed out."""
    attachment = attachment_of(record)
    if attachment is None:
        raise OutsideRecordError(_("This record has no attachment."))
    try:
        with private_storage().open(attachment["path"], "rb") as stored:
            content = stored.read()
    except (OSError, ValueError) as error:
        raise OutsideRecordError(_("The attachment is no longer stored.")) from error
    if hashlib.sha256(content).hexdigest() != attachment.get("sha256"):
        raise OutsideRecordError(
            _("The stored attachment is not the file recorded with this record: it was changed.")
        )
    return ContentFile(content, name=attachment.get("name") or "attachment"), attachment


# --- How such records are labelled -----------------------------------------------------------


def provenance(method_label, recorded_by, reason):
    """The method of a record with who recorded it and why, for records entered or corrected
    by hand (“Recorded by an officer · 王主管: 人民银行讲座”); the method alone otherwise."""
    text = str(method_label or "")
    if recorded_by:
        text += f" · {recorded_by}"
        if reason:
            text += f": {reason}"
    elif reason:
        text += f": {reason}"
    return text


# --- Checking an entry --------------------------------------------------------------------------


def parse_hours(value):
    """Credit hours within the record field's bounds (0 to 999.9, one decimal place)."""
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        hours = None
    if hours is None or not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
        raise OutsideRecordError(
            _("Credit hours must be a number from 0 to %(max)s.") % {"max": MAX_HOURS}, "hours"
        )
    if hours != hours.quantize(Decimal("0.1")):
        raise OutsideRecordError(_("Credit hours may have one decimal place at most."), "hours")
    return hours.quantize(Decimal("0.1"))


def held_as_label(value):
    return dict(HELD_AS_CHOICES).get(value, value)


def check_entry(staff, plan_item, completed_on, hours, method_detail, reason, today=None):
    """The checked ``(hours, reason)`` of an entry; raises ``OutsideRecordError``."""
    today = today or timezone.localdate()
    if staff is None:
        raise OutsideRecordError(_("Choose the person who attended."), "staff")
    if plan_item is None:
        raise OutsideRecordError(_("Choose the plan item the training counts for."), "plan_item")
    if not isinstance(completed_on, datetime.date):
        raise OutsideRecordError(_("Give the date the training was held."), "completed_on")
    if completed_on > today:
        raise OutsideRecordError(_("The completion date cannot be in the future."), "completed_on")
    if method_detail not in dict(HELD_AS_CHOICES):
        raise OutsideRecordError(_("Say how the training was held."), "method_detail")
    reason = " ".join((reason or "").split())
    if not reason:
        raise OutsideRecordError(_("Give the reason for recording it by hand."), "reason")
    if len(reason) > MAX_REASON:
        raise OutsideRecordError(
            _("The reason is longer than %(max)d characters.") % {"max": MAX_REASON}, "reason"
        )
    return parse_hours(hours), reason


def assignment_problem(staff, plan_item, statuses):
    """Why ``staff`` cannot be credited with ``plan_item`` given the statuses of their
    assignments of it (``statuses``, possibly empty), or None."""
    if not statuses:
        return _("%(name)s (%(no)s) is not assigned “%(item)s”.") % {
            "name": staff.name,
            "no": staff.employee_no,
            "item": plan_item.title,
        }
    if not set(statuses) & set(Assignment.TO_DO):
        return _(
            "%(name)s (%(no)s) has nothing left to do for “%(item)s” (completed, withdrawn or "
            "exempt): correct the existing record instead."
        ) % {"name": staff.name, "no": staff.employee_no, "item": plan_item.title}
    return None


def local_start_of(day):
    """The moment a day starts in the site's time zone (the record's completion time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def outside_fields(officer, staff, plan_item, completed_on, hours, held_as, reason, attachment):
    """The fields of an officer-entered record (checked already)."""
    return {
        "user": staff.user,
        "staff": staff,
        "kind": plan_item.kind,
        "title": plan_item.title[:255],
        "course": plan_item.course,
        "quiz": plan_item.quiz,
        "page": plan_item.page,
        "completed_at": local_start_of(completed_on),
        "method": CompletionRecord.OFFICER_IMPORT,
        "recorded_by": officer,
        "reason": reason,
        "credit_hours": hours,
        "credited_unit": staff.org_unit,
        "evidence": {"held_as": held_as, "attachment": attachment, "plan_item": plan_item.pk},
    }


def record_outside(
    officer, staff, plan_item, completed_on, hours, method_detail, reason, attachment, today=None
):
    """Record that ``staff`` completed ``plan_item`` at training held elsewhere on
    ``completed_on`` (``method_detail``: one of ``HELD_AS_CHOICES``), for ``hours`` credit
    hours, entered by ``officer`` because of ``reason``, with ``attachment`` (an uploaded file,
    or the evidence of one stored already by ``store_attachment``). Completes the person's
    to-do assignment of the item and issues the record's certificate. Raises
    ``OutsideRecordError`` (translated, with the form field it is about)."""
    _require(officer)
    hours, reason = check_entry(staff, plan_item, completed_on, hours, method_detail, reason, today)
    mine = Assignment.objects.filter(staff=staff, plan_item=plan_item)
    problem = assignment_problem(staff, plan_item, list(mine.values_list("status", flat=True)))
    if problem:
        raise OutsideRecordError(problem, "plan_item")
    if not isinstance(attachment, dict):
        attachment = store_attachment(*read_upload(attachment))
    fields = outside_fields(
        officer, staff, plan_item, completed_on, hours, method_detail, reason, attachment
    )
    with transaction.atomic():
        # Again, locked: two officers entering the same completion make one record.
        statuses = list(mine.select_for_update().values_list("status", flat=True))
        problem = assignment_problem(staff, plan_item, statuses)
        if problem:
            raise OutsideRecordError(problem, "plan_item")
        record = record_completion(assignments=Q(staff=staff, plan_item=plan_item), **fields)
        issue_certificate(record)
    return record


def append_outside(fields, plan_item):
    """Append an officer-entered record of checked ``fields`` (``outside_fields``) at the end of
    the caller's ``chained_last`` block, with its certificate (a bulk entry)."""
    staff = fields["staff"]
    return append_later(
        CompletionRecord(**fields),
        certify=True,
        assignments=Q(staff=staff, plan_item=plan_item),
    )


# --- Corrections ------------------------------------------------------------------------------

#: What a correction may change.
CORRECTABLE = ("completed_on", "credit_hours", "score", "title")


def correct_record(old, *, officer, reason, today=None, **changes):
    """A correction of ``old`` by ``officer`` with ``reason`` (``supersede_record``): ``changes``
    among ``CORRECTABLE`` (a date as ``completed_on``). ``old`` is kept; the assignments it
    completed point at the correction, which gets its own certificate when ``old`` had one.
    Raises ``OutsideRecordError``."""
    _require(officer)
    today = today or timezone.localdate()
    reason = " ".join((reason or "").split())
    if not reason:
        raise OutsideRecordError(_("Give the reason for the correction."), "reason")
    if len(reason) > MAX_REASON:
        raise OutsideRecordError(
            _("The reason is longer than %(max)d characters.") % {"max": MAX_REASON}, "reason"
        )
    if CompletionRecord.objects.filter(supersedes=old).exists():
        raise OutsideRecordError(
            _("This record has been corrected already: correct the newest record instead.")
        )
    fields = {}
    day = changes.get("completed_on")
    if day is not None:
        if day > today:
            raise OutsideRecordError(
                _("The completion date cannot be in the future."), "completed_on"
            )
        if day != timezone.localtime(old.completed_at).date():
            # Keep the time of day of the old record: only the day was wrong.
            old_time = timezone.localtime(old.completed_at).time()
            fields["completed_at"] = timezone.make_aware(datetime.datetime.combine(day, old_time))
    if changes.get("credit_hours") is not None:
        hours = parse_hours(changes["credit_hours"])
        if hours != old.credit_hours:
            fields["credit_hours"] = hours
    if "score" in changes and changes["score"] != old.score:
        score = changes["score"]
        if score is not None and not (0 <= score <= 100):
            raise OutsideRecordError(_("The score must be from 0 to 100."), "score")
        fields["score"] = score
    title = " ".join((changes.get("title") or "").split())
    if title and title != old.title:
        fields["title"] = title[:255]
    if not fields:
        raise OutsideRecordError(_("Nothing was changed: change a field, or cancel."))
    with transaction.atomic():
        record = supersede_record(old, reason=reason, recorded_by=officer, **fields)
        if Certificate.objects.filter(record=old).exists():
            issue_certificate(record)
    return record
