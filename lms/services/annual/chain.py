"""The integrity of the training records in the annual report, at the cut-off.

Verifying the whole chain re-hashes every record (about a minute per million here: see
bench/README), which a report of the whole bank cannot wait for. So a chain of up to
``VERIFY_LIMIT`` records, or any chain when asked (``lms_annual_report --verify-chain``), is
verified now and a fresh signed anchor of its head is printed; a longer one is reported from
the newest signed anchor on file (``lms_anchor_chain`` verifies the whole chain daily before it
signs one), checked now against the database: its signature, the anchored record still holding
the anchored hash (a rebuilt chain fails here), the head's seal, and how many records were
added since. The table says which of the two it is."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from lms.models import ChainHead, CompletionRecord
from lms.services.annual.figures import Table
from lms.services.exports import local_text
from lms.services.records.anchor import (
    PREFIX,
    anchor_dir,
    check_anchors,
    is_signed,
    read_anchor,
    take_anchor,
)
from lms.services.records.sealing import chain_key, head_seal, matches
from lms.services.records.verification import verify_chain

VERIFY_LIMIT = 200_000


def chain_table(chain=None, verify=None):
    """``chain``: a ``ChainReport`` already made; ``verify``: True to verify now whatever the
    size, False never, None by size."""
    head = ChainHead.objects.filter(pk=1).first()
    count = head.count if head else 0
    if chain is None and (verify or (verify is None and count <= VERIFY_LIMIT)):
        chain = verify_chain()
    rows = verified_now(chain) if chain is not None else from_anchor(head)
    rows.append([_("Cut-off time"), local_text(timezone.now())])
    return Table("chain", _("Integrity of the training records"), [_("Measure"), _("Value")], rows)


def _yes(value):
    return _("Yes") if value else _("No")


def verified_now(chain):
    anchor = take_anchor(chain=chain)
    anchors = check_anchors(chain=chain)
    body = anchor.body
    return [
        [_("How it was checked"), _("The whole chain verified for this report")],
        [_("Records in the chain"), body["records"]],
        [_("Chain verified at the cut-off"), _yes(chain.ok)],
        [_("Problems found"), chain.total],
        [_("Newest record"), body["head_record"] or ""],
        [_("Its hash"), body["head_hash"]],
        [_("Anchor signature (first 32 digits)"), anchor.digest()],
        [_("Signing key"), body["key_id"]],
        [_("Anchors on file"), len(anchors.anchors)],
        [_("Anchors that disagree"), sum(1 for _p, _a, found in anchors.anchors if found)],
    ]


def newest_anchor(directory=None):
    """The newest anchor on file with a valid signature, None if there is none."""
    folder = anchor_dir(directory)
    if not folder.is_dir():
        return None
    signed = [
        anchor
        for anchor in map(read_anchor, folder.glob(f"{PREFIX}*.json"))
        if anchor is not None and is_signed(anchor)
    ]
    return max(signed, key=lambda anchor: anchor.body.get("created_at", ""), default=None)


def _moment(text):
    try:
        return local_text(datetime.datetime.fromisoformat(text))
    except (TypeError, ValueError):
        return text


def from_anchor(head):
    count = head.count if head else 0
    anchor = newest_anchor()
    if anchor is None:
        return [
            [_("How it was checked"), _("Not verified: no signed anchor on file")],
            [_("Records in the chain"), count],
            [
                _("What to do"),
                _("Run “manage.py lms_anchor_chain” daily, or this report with --verify-chain."),
            ],
        ]
    body = anchor.body
    stored = (
        CompletionRecord.objects.filter(pk=body["head_record"])
        .values_list("hash", flat=True)
        .first()
    )
    sealed = head is not None and matches(head_seal(head, chain_key()), head.seal)
    return [
        [_("How it was checked"), _("From the newest signed anchor, checked now")],
        [_("Anchored at"), _moment(body.get("created_at", ""))],
        [_("Records verified then"), body["records"]],
        [_("Chain verified then"), _yes(body.get("verified"))],
        [_("Problems found then"), body.get("problems", 0)],
        [_("Anchored record still holds the anchored hash"), _yes(stored == body["head_hash"])],
        [_("Chain head's seal holds"), _yes(sealed)],
        [_("Records added since"), max(count - body["records"], 0)],
        [_("Records in the chain"), count],
        [_("Anchor signature (first 32 digits)"), anchor.digest()],
        [_("Signing key"), body["key_id"]],
    ]
