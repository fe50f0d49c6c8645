"""Anchoring the record chain outside the database: a signed daily statement of its head.

The chain's key stops someone who can write the database but not read the key. It cannot stop
someone who has both: they can rewrite records, re-hash the whole chain and re-seal the head, and
``verify_chain`` then finds nothing. An *anchor* closes that gap: once a day the chain head (the
newest record's id and hash and the number of records) is written, signed, to a file outside the
database (``LMS_ANCHOR_DIR``) and, if asked, emailed to the officers. A record's hash commits to
every record before it, so a chain rebuilt after an anchor no longer holds the anchored record
with the anchored hash: ``check_anchors`` reports it, from the server's directory or from any
folder of copies (the officers' saved attachments).

The signature (HMAC-SHA256) is keyed with ``LMS_ANCHOR_KEY`` if set, else with a key derived from
the chain key under a label of its own (never the chain key itself). It proves a file was issued
by this site and not altered; what defeats a rebuilt chain is that copies lie where the rebuilder
cannot reach them (emails, a printed annual report, write-once storage).

Files are named ``chain-anchor-YYYYMMDD.json`` (the day in the site's time zone). A second run
the same day with the same head writes nothing; a different head that day goes to the first free
``chain-anchor-YYYYMMDD-N.json`` (N = 2, 3, …). An existing file is never overwritten: each is
written to a temporary file, then hard-linked to its name, which fails if the name exists.
"""

import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from lms.conf import app_settings
from lms.models import CompletionRecord
from lms.services.records.sealing import GENESIS, chain_key, matches
from lms.services.records.verification import CONTENT, DOWNGRADE, LINK, verify_chain

FORMAT = "cp-lms-chain-anchor/1"
DERIVATION_LABEL = b"cp-lms/chain-anchor/v1"
PREFIX = "chain-anchor-"
#: The fields of the head an anchor names: two anchors with these equal anchor the same state.
HEAD_FIELDS = ("records", "head_record", "head_hash")
RECORD_PROBLEMS = (LINK, CONTENT, DOWNGRADE)


class AnchorError(Exception):
    """The anchor cannot be written where asked (the message says why)."""


def anchor_key():
    """The signing key as bytes: ``LMS_ANCHOR_KEY``, else derived from the chain key."""
    if app_settings.LMS_ANCHOR_KEY:
        return app_settings.LMS_ANCHOR_KEY.encode()
    return hmac.new(chain_key(), DERIVATION_LABEL, hashlib.sha256).digest()


def key_id(key=None):
    """A short public name of the signing key, so a file signed under another key is told apart
    from an altered one."""
    return hmac.new(key or anchor_key(), b"key-id", hashlib.sha256).hexdigest()[:8]


def canonical_json(body):
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def signature(body, key=None):
    return hmac.new(
        key or anchor_key(), f"anchor|{canonical_json(body)}".encode(), hashlib.sha256
    ).hexdigest()


def anchor_dir(directory=None):
    """The directory anchors go to: ``directory``, ``LMS_ANCHOR_DIR`` or
    ``PRIVATE_MEDIA_ROOT/anchors``. Raises ``AnchorError`` for one under a public root
    (``MEDIA_ROOT``, ``STATIC_ROOT``): the web server would publish it."""
    chosen = directory or app_settings.LMS_ANCHOR_DIR
    path = Path(chosen) if chosen else Path(settings.PRIVATE_MEDIA_ROOT) / "anchors"
    resolved = path.expanduser().resolve()
    for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
        root = getattr(settings, setting, None)
        if root and resolved.is_relative_to(Path(root).expanduser().resolve()):
            raise AnchorError(
                _("The anchor directory %(dir)s is under %(setting)s, which is public.")
                % {"dir": resolved, "setting": setting}
            )
    return resolved


def site_name():
    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site.site_name if site else "") or str(settings.WAGTAIL_SITE_NAME)


@dataclass
class Anchor:
    """An anchor as signed (``body``), where it is (``path``) and whether this run wrote it."""

    body: dict
    signature: str
    path: Path | None = None
    written: bool = False

    def head(self):
        return tuple(self.body.get(name) for name in HEAD_FIELDS)

    def text(self):
        """The file's content: readable, and re-canonicalized when checked."""
        data = {"anchor": self.body, "signature": self.signature}
        return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"

    def digest(self):
        """A short fingerprint to read out or print (the signature's first 32 hex digits)."""
        return " ".join(self.signature[i : i + 4] for i in range(0, 32, 4))


def take_anchor(day=None, chain=None):
    """The signed anchor of the chain as it is now, for ``day`` (default today, in the site's
    time zone). Verifies the chain first (or takes ``chain``, a ``ChainReport``) and says in
    the anchor whether it held: the head anchored is the one the verification read."""
    chain = chain or verify_chain()
    head_hash = chain.head_hash or GENESIS
    record = (
        CompletionRecord.objects.filter(hash=head_hash).values_list("pk", flat=True).first()
        if chain.head_count
        else None
    )
    key = anchor_key()
    body = {
        "format": FORMAT,
        "date": (day or timezone.localdate()).isoformat(),
        "created_at": timezone.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "site": site_name(),
        "records": chain.head_count,
        "head_record": record,
        "head_hash": head_hash,
        "verified": chain.ok,
        "problems": chain.total,
        "key_id": key_id(key),
    }
    return Anchor(body, signature(body, key))


def read_anchor(path):
    """The ``Anchor`` in file ``path``; None if it is not one (unreadable, not JSON, fields
    missing). The signature is not checked here."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        body, sig = data["anchor"], data["signature"]
        if not isinstance(body, dict) or not isinstance(sig, str):
            return None
        if body.get("format") != FORMAT or any(name not in body for name in HEAD_FIELDS):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Anchor(body, sig, path=Path(path))


def _day_files(directory, stem):
    """The files of one day, in the order written: the plain name, then -2, -3, …"""
    found = []
    for path in directory.glob(f"{stem}*.json"):
        rest = path.name[len(stem) : -len(".json")]
        if rest == "":
            found.append((1, path))
        elif rest.startswith("-") and rest[1:].isdigit():
            found.append((int(rest[1:]), path))
    return [path for _n, path in sorted(found)]


def write_anchor(anchor, directory=None):
    """Write ``anchor`` into ``directory`` (see ``anchor_dir``) unless a valid file of its day
    already anchors the same head: returns the anchor with ``path`` and ``written`` set."""
    directory = anchor_dir(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o750)
    except OSError as error:
        raise AnchorError(
            _("The anchor directory %(dir)s cannot be created: %(error)s")
            % {"dir": directory, "error": error}
        ) from error
    stem = PREFIX + anchor.body["date"].replace("-", "")
    key = anchor_key()
    for path in _day_files(directory, stem):
        existing = read_anchor(path)
        if existing and existing.head() == anchor.head() and is_signed(existing, key):
            return existing
    fd, temporary = tempfile.mkstemp(prefix=".anchor-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(anchor.text())
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o640)
        number = 1
        while True:
            path = directory / (f"{stem}.json" if number == 1 else f"{stem}-{number}.json")
            try:
                os.link(temporary, path)  # atomic, and never replaces an existing file
                break
            except FileExistsError:
                number += 1
    except OSError as error:
        raise AnchorError(
            _("The anchor could not be written to %(dir)s: %(error)s")
            % {"dir": directory, "error": error}
        ) from error
    finally:
        Path(temporary).unlink(missing_ok=True)
    anchor.path, anchor.written = path, True
    return anchor


def is_signed(anchor, key=None):
    return matches(signature(anchor.body, key or anchor_key()), anchor.signature)


@dataclass
class AnchorCheck:
    """What ``check_anchors`` found: each anchor file read (``anchors``: ``(path, Anchor or
    None, [problems])``), the chain's own report, and the problems, one sentence each."""

    directory: Path
    chain: object
    anchors: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems and self.chain.ok


def check_anchors(directory=None, chain=None):
    """Check every anchor file in ``directory`` (default: where anchors are written) against
    the database: its signature, that the record it names still exists with the anchored hash
    (a chain rebuilt or cut after the anchor fails here, even re-hashed with the right key), and
    that the chain up to that record verifies. ``chain`` is a ``ChainReport`` already made (one
    is made otherwise). One query besides the verification, however many anchors."""
    directory = anchor_dir(directory)
    chain = chain or verify_chain()
    check = AnchorCheck(directory, chain)
    paths = sorted(directory.glob(f"{PREFIX}*.json")) if directory.is_dir() else []
    if not paths:
        check.problems.append(_("No chain anchors in %(dir)s.") % {"dir": directory})
        return check
    anchors = [(path, read_anchor(path)) for path in paths]
    ids = {a.body["head_record"] for _p, a in anchors if a and a.body["head_record"]}
    hashes = dict(CompletionRecord.objects.filter(pk__in=ids).values_list("pk", "hash"))
    first_broken = next(
        (p.pk for p in chain.problems if p.kind in RECORD_PROBLEMS and p.pk is not None), None
    )
    key = anchor_key()
    for path, anchor in anchors:
        found = _problems(path, anchor, key, hashes, first_broken)
        check.anchors.append((path, anchor, found))
        check.problems.extend(found)
    return check


def _problems(path, anchor, key, hashes, first_broken):
    name = path.name
    if anchor is None:
        return [_("%(file)s: not a readable chain anchor.") % {"file": name}]
    body = anchor.body
    values = {"file": name, "date": body.get("date"), "pk": body["head_record"]}
    if body.get("key_id") != key_id(key):
        return [_("%(file)s: signed with another key (LMS_ANCHOR_KEY changed?).") % values]
    if not is_signed(anchor, key):
        return [_("%(file)s: its signature does not match: the file was altered.") % values]
    if not body["records"]:
        return []
    if body["head_record"] is None:
        return [_("%(file)s: the chain head named no record when it was taken.") % values]
    stored = hashes.get(body["head_record"])
    if stored is None:
        message = _(
            "%(file)s: record %(pk)d, the chain head on %(date)s, no longer exists: the chain "
            "was cut or rebuilt after the anchor."
        )
        return [message % values]
    if stored != body["head_hash"]:
        message = _(
            "%(file)s: record %(pk)d no longer has the hash anchored on %(date)s: the chain "
            "was rewritten (rebuilt) after the anchor."
        )
        return [message % values]
    if first_broken is not None and first_broken <= body["head_record"]:
        message = _("%(file)s: the chain up to record %(pk)d does not verify (record %(at)d).")
        return [message % {**values, "at": first_broken}]
    return []
