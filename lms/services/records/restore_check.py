"""Checking a restored database against its backup's manifest, and marking it verified or not.

``check_restore(facts)`` runs every check and returns them all, each with its result, so an
operator sees everything that is wrong at once: the chain key (its fingerprint, and the newest
record's hash recomputed under it), the chain head, the row counts, the migrations,
``verify_chain`` (what ``lms_verify_records`` runs) and a random sample of certificates (verified
as the public /verify/ page does, and rendered as PDF).

A restore under another chain key must fail loudly: every record would look forged, and every
completion written afterwards would be chained under the wrong key. When the key is wrong, the
checks that need it are not run (they would fail on every row) and say so.

The database is then *marked*: on PostgreSQL a comment on the database (``\\l+`` in psql shows
it), on SQLite a file beside it (``<file>.restore-status.json``), saying verified or NOT
VERIFIED with the failed checks. Running the checks again (after setting the right key)
replaces the mark."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.models import Certificate, ChainHead, CompletionRecord
from lms.services.records.certificates import render_pdf, verify
from lms.services.records.sealing import head_is_sealed, matches, record_hash
from lms.services.records.snapshot import (
    applied_heads,
    key_fingerprint,
    row_counts,
    unapplied_migrations,
)
from lms.services.records.verification import verify_chain

SAMPLE = 20
STATUS_SUFFIX = ".restore-status.json"
VERIFIED = "verified"
NOT_VERIFIED = "NOT VERIFIED"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_restore(facts, sample=SAMPLE, seed=None):
    """Every check of the restored database against ``facts`` (the manifest's ``database``
    part): a list of ``Check``, the chain key's first."""
    key_ok, key_check = _check_key(facts)
    checks = [key_check, _check_head(facts, key_ok), _check_counts(facts)]
    checks.append(_check_migrations(facts))
    checks.append(_check_chain(key_ok))
    checks.append(_check_certificates(sample, seed, key_ok))
    return checks


def wrong_key_message(current, expected):
    return _(
        "THE CHAIN KEY IS NOT THE BACKUP'S. This environment's LMS_RECORD_CHAIN_KEY has "
        "fingerprint %(current)s; the records in this backup were written under the key with "
        "fingerprint %(expected)s. Under this key every record, certificate and the chain head "
        "look forged, and new completions would be chained under the wrong key. Set "
        "LMS_RECORD_CHAIN_KEY to the backed-up site's key (from escrow; its fingerprint is "
        "%(expected)s) and run “manage.py lms_check_restore --manifest …” again. Do not "
        "serve this database until it passes: it is marked NOT VERIFIED."
    ) % {"current": current[:16], "expected": expected[:16]}


def _check_key(facts):
    current, expected = key_fingerprint(), facts.get("chain_key_fingerprint", "")
    if matches(current, expected):
        detail = _("fingerprint %(fingerprint)s, as in the backup") % {"fingerprint": current[:16]}
        return True, Check(pgettext("restore check", "chain key"), True, detail)
    detail = wrong_key_message(current, expected)
    return False, Check(pgettext("restore check", "chain key"), False, detail)


def _not_run(name):
    return Check(name, False, _("not run: the chain key is not the backup's"))


def _check_head(facts, key_ok):
    name = pgettext("restore check", "chain head")
    if not key_ok:
        return _not_run(name)
    expected = facts.get("chain", {})
    head = ChainHead.objects.filter(pk=1).first()
    problems = []
    count, last_hash = (head.count, head.last_hash) if head else (0, expected.get("last_hash"))
    if count != expected.get("count") or last_hash != expected.get("last_hash"):
        problems.append(
            _("the head counts %(count)d records (%(hash)s), the backup %(expected)d")
            % {"count": count, "hash": (last_hash or "")[:16], "expected": expected.get("count")}
        )
    if head is not None and not head_is_sealed(head):
        problems.append(_("its seal does not match under this key"))
    newest = expected.get("newest_record")
    record = CompletionRecord.objects.filter(pk=newest).first() if newest else None
    if newest and record is None:
        problems.append(_("the newest record %(pk)d is missing") % {"pk": newest})
    elif record is not None:
        recomputed = record_hash(record, record.prev_hash, record.hash_version)
        if not matches(recomputed, record.hash) or record.hash != expected.get("newest_hash"):
            problems.append(
                _("the newest record %(pk)d does not hash to its stored hash under this key")
                % {"pk": newest}
            )
    if problems:
        return Check(name, False, "; ".join(problems))
    detail = _("%(count)d records; the newest (%(pk)s) rehashed under this key: %(hash)s") % {
        "count": count,
        "pk": newest or "-",
        "hash": (last_hash or "")[:16],
    }
    return Check(name, True, detail)


def _check_counts(facts):
    expected, found = facts.get("counts", {}), row_counts()
    differ = [
        f"{label} {found.get(label)} ≠ {rows}"
        for label, rows in expected.items()
        if found.get(label) != rows
    ]
    if differ:
        return Check(pgettext("restore check", "row counts"), False, "; ".join(differ))
    records = found.get(CompletionRecord._meta.label, 0)
    detail = _("%(n)d tables as in the backup (%(records)d completion records)") % {
        "n": len(expected),
        "records": records,
    }
    return Check(pgettext("restore check", "row counts"), True, detail)


def _check_migrations(facts):
    heads = applied_heads()
    if heads != facts.get("migrations"):
        missing = sorted(set(facts.get("migrations", [])) - set(heads))
        detail = _("differ from the backup's: %(missing)s") % {"missing": ", ".join(missing)}
        return Check(pgettext("restore check", "migrations"), False, detail)
    detail = _("%(n)d apps at the backup's migrations") % {"n": len(heads)}
    pending = unapplied_migrations()
    if pending:
        detail += "; " + _("this code has %(n)d newer ones: run “manage.py migrate”") % {
            "n": len(pending)
        }
    return Check(pgettext("restore check", "migrations"), True, detail)


def _check_chain(key_ok):
    name = "lms_verify_records"
    if not key_ok:
        return _not_run(name)
    report = verify_chain(limit=5)
    if report.ok:
        detail = _("%(count)d completion records verified; the chain is intact") % {
            "count": report.checked
        }
        return Check(name, True, detail)
    problems = "; ".join(problem.message for problem in report.problems)
    detail = _("%(n)d problems: %(problems)s") % {"n": report.total, "problems": problems}
    return Check(name, False, detail)


def certificate_sample(size, seed=None):
    """Up to ``size`` distinct certificates picked at random by id (a few index lookups, not a
    sort of the whole table)."""
    bounds = Certificate.objects.order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), bounds.last()
    if first is None:
        return []
    chooser, picked = random.Random(seed), {}  # noqa: S311 - a sample, not a secret
    for _attempt in range(size * 3):
        if len(picked) >= size:
            break
        at = chooser.randint(first, last)
        certificate = (
            Certificate.objects.filter(pk__gte=at).order_by("pk").select_related("record").first()
        )
        picked[certificate.pk] = certificate
    return list(picked.values())


def _check_certificates(size, seed, key_ok):
    name = pgettext("restore check", "certificates")
    if not key_ok:
        return _not_run(name)
    sample, failed = certificate_sample(size, seed), []
    for certificate in sample:
        _found, state = verify(certificate.code)
        if state is None:
            failed.append(_("%(code)s does not verify") % {"code": certificate.code})
        elif not render_pdf(certificate).startswith(b"%PDF"):
            failed.append(_("%(code)s does not render") % {"code": certificate.code})
    if failed:
        return Check(name, False, "; ".join(failed))
    detail = _("%(n)d picked at random verify and render as PDF") % {"n": len(sample)}
    return Check(name, True, detail)


def status_file():
    """The SQLite database's status file (None on other databases)."""
    if connection.vendor != "sqlite":
        return None
    return Path(str(connection.settings_dict["NAME"]) + STATUS_SUFFIX)


def mark_database(checks, backup=""):
    """Mark the database verified or NOT VERIFIED (with the failed checks); returns the mark."""
    failed = [check.name for check in checks if not check.ok]
    state = NOT_VERIFIED if failed else VERIFIED
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"CP-LMS restore {state} at {at} (backup {backup or '?'})"
    if failed:
        text += "; failed: " + ", ".join(failed) + "; run manage.py lms_check_restore again"
    if connection.vendor == "postgresql":
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # COMMENT takes no parameters: the text is quoted by the database's own function.
                cursor.execute("SELECT quote_literal(%s)", [text])
                literal = cursor.fetchone()[0]
                cursor.execute(f"COMMENT ON DATABASE {name} IS {literal}")  # noqa: S608
        except DatabaseError as error:  # not the database's owner
            return _("%(text)s (NOT RECORDED on the database: %(error)s)") % {
                "text": text,
                "error": str(error).strip(),
            }
    elif (path := status_file()) is not None:
        path.write_text(json.dumps({"state": state, "text": text, "failed": failed}, indent=2))
    return text


def database_mark():
    """The current mark (text), or '' if the database has none."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = current_database()"
            )
            return cursor.fetchone()[0] or ""
    path = status_file()
    return json.loads(path.read_text())["text"] if path and path.exists() else ""
