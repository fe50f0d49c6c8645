"""Sealing a chain written before it was keyed (``manage.py lms_seal_records``).

Records written before the upgrade keep their plain SHA-256 hashes (``hash_version`` 1): they are
never rewritten, as rewriting evidence is what the chain exists to detect. Once, after the upgrade,
the whole chain is verified as it stands; if nothing but the missing seal is found, the old
records are anchored under the key (their number and the last one's hash go into the head, whose
seal covers them) and the certificates issued before are sealed to their records. From then on an
old record can no more be changed than a new one: its hash is linked into the keyed chain and
counted in the sealed anchor."""

from django.db import transaction
from django.utils.translation import gettext as _

from lms.models import Certificate, ChainHead
from lms.services.records.sealing import certificate_seal, chain_key, head_seal
from lms.services.records.verification import ASSIGNMENT, UNSEALED, verify_chain


class SealRefused(Exception):
    """The chain cannot be sealed as it stands; the message says why."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


def seal_legacy_chain():
    """Anchor the old records and seal the head and the old certificates. Returns
    ``(legacy_records, certificates_sealed, records_in_the_chain)``. Raises ``SealRefused``
    when the head is already sealed, its seal does not match (evidence of tampering: never
    re-sealed), there are no old records to seal (a removed seal on a keyed chain), or the chain
    shows any other problem."""
    key = chain_key()
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None or head.count == 0:
            raise SealRefused(_("There are no records to seal."))
        if head.seal:
            if head.seal == head_seal(head, key):
                raise SealRefused(_("The chain is already sealed."))
            raise SealRefused(
                _(
                    "The chain head's seal does not match: it was changed without the key. "
                    "It is evidence and is not re-sealed; run lms_verify_records."
                )
            )
        report = verify_chain(limit=50)
        # Completed assignments are not part of the chain: reported, but no reason to refuse.
        allowed = report.counts.get(UNSEALED, 0) + report.counts.get(ASSIGNMENT, 0)
        others = [p for p in report.problems if p.kind not in (UNSEALED, ASSIGNMENT)]
        if not report.counts.get(UNSEALED) or report.total != allowed:
            raise SealRefused(_("The chain shows problems; nothing was sealed."), others)
        legacy = report.legacy_records
        head.legacy_count, head.legacy_hash = legacy, report.legacy_hash
        head.seal = head_seal(head, key)
        head.save(update_fields=["legacy_count", "legacy_hash", "seal"])
        sealed = []
        rows = Certificate.objects.filter(seal="").select_related("record").order_by("pk")
        for certificate in rows.iterator(chunk_size=2000):
            certificate.seal = certificate_seal(
                certificate.code,
                certificate.record_id,
                certificate.record.hash,
                certificate.issued_at,
                key,
            )
            sealed.append(certificate)
        Certificate.objects.bulk_update(sealed, ["seal"], batch_size=1000)
    return legacy, len(sealed), head.count
